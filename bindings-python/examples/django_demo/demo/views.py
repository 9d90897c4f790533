"""The demo's own pages: home, sign up, sign in (then the second factor),
and one page that needs a verified second factor."""

from __future__ import annotations

from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import UserCreationForm
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django_otp import user_has_device
from django_otp.decorators import otp_required


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "demo/home.html")


@otp_required
def protected(request: HttpRequest) -> HttpResponse:
    return render(request, "demo/protected.html", {"device": request.user.otp_device})  # type: ignore[union-attr]


def signup(request: HttpRequest) -> HttpResponse:
    form: UserCreationForm[User] = UserCreationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect("otp_core:enroll")
    return render(request, "registration/signup.html", {"form": form})


class LoginView(auth_views.LoginView):
    """Password first; a user with a second factor then goes to its page."""

    def get_success_url(self) -> str:
        url = super().get_success_url()
        if user_has_device(self.request.user):
            return reverse("otp_core:verify") + "?" + urlencode({"next": url})
        return url

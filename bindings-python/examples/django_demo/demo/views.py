"""The demo's own pages: home, sign up, and one page that needs a verified
second factor. Signing in is otp_core.django's two-step LoginView."""

from __future__ import annotations

from django.contrib.auth import login
from django.contrib.auth.forms import UserCreationForm
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
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

"""A site's URLconf with its own subclasses of otp_core.django's views, under
the same names (tests_django/test_class_views.py)."""

from __future__ import annotations

from typing import Any

from demo import urls as demo_urls
from django import forms
from django.urls import include, path

from otp_core.django import views
from otp_core.django.forms import TokenForm


class StrictTokenForm(TokenForm):
    """The site's own rule: no spaces in a code."""

    def clean_token(self) -> str:
        if " " in str(self.data.get("token", "")):
            raise forms.ValidationError("Type the six digits without spaces.")
        return super().clean_token()


class SiteEnrollView(views.EnrollView):
    template_name = "site/enroll.html"
    form_class = StrictTokenForm

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        context = super().get_context_data(**context)
        context["intro"] = "Welcome to ACME"
        return context

    def form_error(self, form: TokenForm) -> str:
        return "; ".join(form.errors.get("token", [])) or "That code is not valid."


class SiteVerifyView(views.VerifyView):
    def get_success_url(self) -> str:
        return "/welcome-back/"


class SiteRemoveView(views.RemoveView):
    success_url = "/removed/"


otp_patterns = (
    [
        path("", views.manage, name="manage"),
        path("enroll/", SiteEnrollView.as_view(), name="enroll"),
        path("verify/", SiteVerifyView.as_view(), name="verify"),
        path("backup-codes/", views.backup_codes, name="backup_codes"),
        path("remove/", SiteRemoveView.as_view(), name="remove"),
        path("sign-out-everywhere/", views.sign_out_everywhere, name="sign_out_everywhere"),
        path("login/", views.LoginView.as_view(), name="login"),
    ],
    "otp_core",
)


# The demo's pages (its base template links them), with these views at 2fa/.
urlpatterns = [
    path("2fa/", include(otp_patterns)),
    *(p for p in demo_urls.urlpatterns if str(p.pattern) != "2fa/"),
]

"""``path("2fa/", include("otp_core.django.urls"))``: the namespace is ``otp_core``.

``otp_core:login`` is the two-step login (point ``LOGIN_URL`` at it, or route
your own ``login/`` to :class:`otp_core.django.views.LoginView`)."""

from django.urls import path

from otp_core.django import views

app_name = "otp_core"

urlpatterns = [
    path("", views.manage, name="manage"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("enroll/", views.enroll, name="enroll"),
    path("verify/", views.verify, name="verify"),
    path("backup-codes/", views.backup_codes, name="backup_codes"),
    path("remove/", views.remove, name="remove"),
    path("sign-out-everywhere/", views.sign_out_everywhere, name="sign_out_everywhere"),
]

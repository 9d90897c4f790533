"""``path("2fa/", include("otp_core.django.urls"))``: the namespace is ``otp_core``."""

from django.urls import path

from otp_core.django import views

app_name = "otp_core"

urlpatterns = [
    path("", views.manage, name="manage"),
    path("enroll/", views.enroll, name="enroll"),
    path("verify/", views.verify, name="verify"),
    path("backup-codes/", views.backup_codes, name="backup_codes"),
    path("remove/", views.remove, name="remove"),
]

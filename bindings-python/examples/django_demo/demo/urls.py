from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from demo import views
from otp_core.django.views import LoginView

urlpatterns = [
    path("", views.home, name="home"),
    path("protected/", views.protected, name="protected"),
    path("signup/", views.signup, name="signup"),
    # The two-step login: the session waits for the second factor.
    path("login/", LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("2fa/", include("otp_core.django.urls")),
    # The language switcher's POST (set_language).
    path("i18n/", include("django.conf.urls.i18n")),
    # The admin needs a verified second factor (OTPCoreAdminConfig in settings).
    path("admin/", admin.site.urls),
]

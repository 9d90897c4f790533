from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from demo import views

urlpatterns = [
    path("", views.home, name="home"),
    path("protected/", views.protected, name="protected"),
    path("signup/", views.signup, name="signup"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("2fa/", include("otp_core.django.urls")),
    path("admin/", admin.site.urls),
]

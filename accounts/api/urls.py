"""API routes of the accounts app, mounted under /api/."""

from django.urls import path

from accounts.api import auth

urlpatterns = [
    path("auth/login/", auth.LoginView.as_view(), name="auth-login"),
    path("auth/logout/", auth.LogoutView.as_view(), name="auth-logout"),
    path("auth/token/", auth.TokenView.as_view(), name="auth-token"),
    path("auth/me/", auth.MeView.as_view(), name="auth-me"),
    path("auth/csrf/", auth.CsrfView.as_view(), name="auth-csrf"),
]

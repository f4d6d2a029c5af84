"""API routes of the accounts app, mounted under /api/."""

from django.urls import URLPattern, URLResolver, path
from rest_framework.routers import SimpleRouter

from accounts.api import auth, notifications, security
from accounts.api.exchange_accounts import ExchangeAccountViewSet

router = SimpleRouter()
router.register("exchange-accounts", ExchangeAccountViewSet, basename="exchange-account")
router.register(
    "notification-channels",
    notifications.NotificationChannelViewSet,
    basename="notification-channel",
)

urlpatterns: list[URLPattern | URLResolver] = [
    path("auth/login/", auth.LoginView.as_view(), name="auth-login"),
    path("auth/logout/", auth.LogoutView.as_view(), name="auth-logout"),
    path("auth/token/", auth.TokenView.as_view(), name="auth-token"),
    path("auth/me/", auth.MeView.as_view(), name="auth-me"),
    path("auth/csrf/", auth.CsrfView.as_view(), name="auth-csrf"),
    path("auth/password/change/", auth.PasswordChangeView.as_view(), name="auth-password-change"),
    path("auth/password/reset/", auth.PasswordResetView.as_view(), name="auth-password-reset"),
    path(
        "auth/password/reset/confirm/",
        auth.PasswordResetConfirmView.as_view(),
        name="auth-password-reset-confirm",
    ),
    path("auth/register/", auth.RegisterView.as_view(), name="auth-register"),
    path("auth/sessions/", security.SignInListView.as_view(), name="auth-sessions"),
    path(
        "auth/sessions/<str:pk>/",
        security.SignInDetailView.as_view(),
        name="auth-session-detail",
    ),
    path(
        "auth/logout-everywhere/",
        security.SignOutEverywhereView.as_view(),
        name="auth-logout-everywhere",
    ),
    path("audit-events/", security.AuditEventListView.as_view(), name="audit-events"),
    path(
        "notification-preferences/",
        notifications.NotificationPreferenceView.as_view(),
        name="notification-preferences",
    ),
    path("notifications/", notifications.NotificationListView.as_view(), name="notifications"),
    path(
        "notifications/unread-count/",
        notifications.NotificationUnreadCountView.as_view(),
        name="notifications-unread-count",
    ),
    path(
        "notifications/mark-read/",
        notifications.NotificationMarkReadView.as_view(),
        name="notifications-mark-read",
    ),
    *router.urls,
]

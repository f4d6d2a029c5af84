"""Forms of the accounts app: the admin sign-in, behind the same lockout as the API."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import authenticate
from django.views.decorators.debug import sensitive_variables

from accounts.api.throttling import login_rate_admit
from accounts.services import LoginLockedError, client_ip, guarded_attempt


class LockoutAdminAuthenticationForm(AdminAuthenticationForm):
    """The admin's sign-in form, counted by the same per-address throttle and the same
    per-username lockout as the API: failures on either door lock both."""

    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "throttled": "Too many sign-in attempts from your address. Try again in %(seconds)s s.",
    }

    @sensitive_variables("password", "cleaned_data")
    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is None or not password:
            return self.cleaned_data
        address = client_ip(self.request)
        admitted, wait = login_rate_admit(address)
        if not admitted:
            raise forms.ValidationError(
                self.error_messages["throttled"],
                code="throttled",
                params={"seconds": max(1, round(wait))},
            )
        try:
            self.user_cache = guarded_attempt(
                username=username,
                ip_address=address,
                attempt=lambda: authenticate(self.request, username=username, password=password),
                door="admin",
            )
        except LoginLockedError as e:
            raise forms.ValidationError(str(e), code="locked") from None
        if self.user_cache is None:
            raise self.get_invalid_login_error()
        self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data

"""Writes for users and sessions."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction
from rest_framework.authtoken.models import Token

from accounts.models import User


@transaction.atomic
def user_create(*, username: str, password: str, email: str = "", is_staff: bool = False) -> User:
    """Create an active user with a hashed password."""
    model = get_user_model()
    user: User = model.objects.create_user(
        username=username, password=password, email=email, is_staff=is_staff
    )
    return user


def token_issue(*, user: User) -> str:
    """Return the user's API token, creating it on first use."""
    token, _ = Token.objects.get_or_create(user=user)
    return str(token.key)

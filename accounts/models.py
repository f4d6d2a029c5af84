"""Users of the platform. Everything a user owns points here through AUTH_USER_MODEL."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser


class User(AbstractUser):
    """A person with their own exchange accounts, bots, backtests and trades."""

    class Meta(AbstractUser.Meta):  # type: ignore[name-defined]
        swappable = "AUTH_USER_MODEL"

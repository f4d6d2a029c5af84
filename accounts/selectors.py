"""Reads of the accounts app for views and other apps. Every read is scoped to its owner."""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import ExchangeAccount


def exchange_account_list(*, owner_id: int) -> QuerySet[ExchangeAccount]:
    """Return the user's exchange accounts (never anyone else's)."""
    return ExchangeAccount.objects.filter(owner_id=owner_id).select_related("exchange")


def exchange_account_get(*, account_id: int, owner_id: int) -> ExchangeAccount:
    """Return one of the user's exchange accounts; raises DoesNotExist for anyone else's."""
    return exchange_account_list(owner_id=owner_id).get(pk=account_id)


def exchange_account_owner_id(*, account_id: int) -> int | None:
    """Return the owner of an exchange account, for operator tools; None when there is none."""
    owner_id: int | None = (
        ExchangeAccount.objects.filter(pk=account_id).values_list("owner_id", flat=True).first()
    )
    return owner_id

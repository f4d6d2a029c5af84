"""Exchange accounts: store keys encrypted, check what they may do, build adapters from them.

Secrets are decrypted in one place only: `_open_adapter`, the path that builds an exchange
adapter (`exchange_account_adapter` for the trading engine; the same path serves the scope
check and the connection test). Decrypted and submitted values are registered with the log
mask at once. Every function handling a secret is marked with `sensitive_variables`, so
error pages and error reports show stars instead.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, NoReturn

import structlog
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from accounts.core import crypto
from accounts.core.credentials import (
    PASSPHRASE_EXCHANGES,
    CredentialFormatError,
    ScopeVerdict,
    assess_permissions,
    check_api_key,
    check_passphrase,
    check_secret,
)
from accounts.events import user_group
from accounts.models import AuditEvent, ExchangeAccount, User
from accounts.notifications.security import key_scope_notice
from accounts.services.audit import audit_record
from markets.core import errors as exchange_errors
from markets.core.adapter import Credentials, ExchangeAdapter, KeyPermissions
from markets.core.redaction import redact_text, register_secret
from markets.selectors import exchange_find
from markets.stream import publish

if TYPE_CHECKING:
    from markets.models import Exchange

log = structlog.get_logger(__name__)

AdapterCreate = Callable[..., ExchangeAdapter]


def _create_with_markets_factory(
    exchange_id: str,
    *,
    credentials: Credentials | None = None,
    base_url: str | None = None,
    sandbox: bool = False,
) -> ExchangeAdapter:
    # Imported here: the markets factory pulls in ccxt, which only this path needs.
    from markets.core.factory import create_adapter

    adapter: ExchangeAdapter = create_adapter(
        exchange_id, credentials=credentials, base_url=base_url, sandbox=sandbox
    )
    return adapter


# The adapter constructor; tests replace it with a fake exchange.
adapter_create: AdapterCreate = _create_with_markets_factory


class ExchangeAccountError(exchange_errors.QuantumTraderError):
    """A request about an exchange account cannot be done; the message is safe to show."""

    code = "invalid"
    status = 400

    def __init__(self, message: str, *, field: str | None = None, code: str = "") -> None:
        super().__init__(message, code=code or None, field=field)


class CredentialsRefusedError(ExchangeAccountError):
    """The credentials are malformed, refused by the exchange, or allowed too much."""


class ExchangeUnreachableError(ExchangeAccountError):
    """The exchange could not be asked (network, rate limit, maintenance)."""

    code = "exchange_unreachable"
    status = 503


class CredentialsUnreadableError(ExchangeAccountError):
    """The stored credentials do not decrypt with the configured master keys."""

    code = "credentials_unreadable"
    status = 409


class AccountUnusableError(ExchangeAccountError):
    """The account is marked unusable; its status message says why."""

    code = "account_unusable"


# What each exchange error means for the user, most specific first.
_FAILURES: tuple[tuple[type[exchange_errors.ExchangeError], str, str], ...] = (
    (
        exchange_errors.AuthenticationError,
        "auth",
        "The exchange refused the API key or its signature (wrong key, wrong secret, "
        "revoked key, or a testnet key used live).",
    ),
    (
        exchange_errors.PermissionDeniedError,
        "permission",
        "The exchange accepted the key but refused the request: a permission is missing, "
        "or this server's IP address is not on the key's allowed list.",
    ),
    (
        exchange_errors.RateLimitedError,
        "rate_limited",
        "The exchange is rate-limiting this server; try again in a minute.",
    ),
    (
        exchange_errors.ExchangeUnavailableError,
        "exchange_down",
        "The exchange is down or in maintenance; try again later.",
    ),
    (
        exchange_errors.NetworkError,
        "network",
        "The exchange could not be reached (timeout or connection error).",
    ),
    (
        exchange_errors.UnknownExchangeError,
        "unknown_exchange",
        "There is no exchange adapter for this exchange.",
    ),
    (exchange_errors.ExchangeError, "exchange_error", "The exchange answered with an error."),
)


def _describe_failure(error: exchange_errors.ExchangeError) -> tuple[str, str]:
    for kind, failure, message in _FAILURES:
        if isinstance(error, kind):
            return failure, message
    return "exchange_error", "The exchange answered with an error."


@dataclass(frozen=True)
class ConnectionReport:
    """The outcome of asking the exchange about a key; `failure` names what went wrong."""

    ok: bool
    failure: str = ""
    detail: str = ""
    exchange_message: str = ""
    warnings: tuple[str, ...] = field(default=())
    permissions: dict[str, Any] | None = None

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["warnings"] = list(self.warnings)
        return data


def _keyring() -> list[tuple[str, bytes]]:
    return list(settings.QT_ENCRYPTION_KEYS)


def _identity(account: ExchangeAccount) -> crypto.RecordIdentity:
    return crypto.RecordIdentity(owner_id=account.owner_id, account_id=account.pk)


def _stored(account: ExchangeAccount) -> dict[str, str]:
    stored = {"api_key": account.api_key_ct, "secret": account.secret_ct}
    if account.passphrase_ct:
        stored["passphrase"] = account.passphrase_ct
    return stored


def _base_url(exchange: Exchange) -> str | None:
    return exchange.api_base_url or settings.EXCHANGE_BASE_URLS.get(exchange.ccxt_id) or None


def _quiet(adapter: ExchangeAdapter) -> None:
    # ccxt's verbose mode prints every request, signed headers included: keep it off.
    for value in vars(adapter).values() if hasattr(adapter, "__dict__") else ():
        if hasattr(value, "verbose") and hasattr(value, "apiKey"):
            value.verbose = False


@sensitive_variables()
def _build_adapter(*, exchange: Exchange, mode: str, credentials: Credentials) -> ExchangeAdapter:
    for value in (credentials.api_key, credentials.secret, credentials.passphrase):
        register_secret(value)
    adapter = adapter_create(
        exchange.ccxt_id,
        credentials=credentials,
        base_url=_base_url(exchange),
        sandbox=mode == ExchangeAccount.Mode.TESTNET,
    )
    _quiet(adapter)
    return adapter


def _mark_unusable(account: ExchangeAccount, message: str) -> None:
    changed = account.status != ExchangeAccount.Status.UNUSABLE
    ExchangeAccount.objects.filter(pk=account.pk).update(
        status=ExchangeAccount.Status.UNUSABLE, status_message=message[:500]
    )
    account.status = ExchangeAccount.Status.UNUSABLE
    account.status_message = message[:500]
    if changed:
        audit_record(
            action=AuditEvent.Action.EXCHANGE_KEY_UNUSABLE,
            target=account,
            details={"reason": message[:500]},
        )


def unreadable_message(error: crypto.CryptoError) -> str:
    """Explain a decryption failure to the owner and the operator (names no secret)."""
    return (
        f"The stored credentials cannot be decrypted ({error}). Check QT_ENCRYPTION_KEYS, "
        "or enter the API key and secret again."
    )


@sensitive_variables()
def _open_adapter(
    account: ExchangeAccount, *, replacing: dict[str, str] | None = None
) -> ExchangeAdapter:
    """Decrypt the account's credentials (the only place that does) and build an adapter.

    `replacing` holds newly submitted values that take the place of stored ones; stored
    fields that all get replaced are not decrypted at all.
    """
    replacing = replacing or {}
    wanted = {k: v for k, v in _stored(account).items() if k not in replacing}
    plain: dict[str, str] = {}
    if wanted:
        try:
            plain = crypto.open_fields(
                keyring=_keyring(),
                record=_identity(account),
                wrapped_key=account.wrapped_key,
                fields=wanted,
            )
        except crypto.CryptoError as e:
            message = unreadable_message(e)
            log.warning("exchange_account.unreadable", account_id=account.pk, error=str(e))
            _mark_unusable(account, message)
            raise CredentialsUnreadableError(message) from None
    merged = {**plain, **replacing}
    credentials = Credentials(
        api_key=merged["api_key"], secret=merged["secret"], passphrase=merged.get("passphrase")
    )
    return _build_adapter(exchange=account.exchange, mode=account.mode, credentials=credentials)


def exchange_account_adapter(*, account_id: int, owner_id: int) -> ExchangeAdapter:
    """Return an adapter holding this user's decrypted key; the one way to trade with it.

    Raises ExchangeAccount.DoesNotExist for another user's account, AccountUnusableError for
    an account marked unusable, CredentialsUnreadableError when decryption fails, and the
    markets errors (e.g. UnknownExchangeError) from the adapter factory.
    """
    account = ExchangeAccount.objects.select_related("exchange").get(
        pk=account_id, owner_id=owner_id
    )
    if account.status == ExchangeAccount.Status.UNUSABLE:
        raise AccountUnusableError(account.status_message or "This exchange account is unusable.")
    return _open_adapter(account)


def _probe(adapter: ExchangeAdapter, *, mode: str) -> tuple[KeyPermissions, ScopeVerdict]:
    """Ask the exchange what the key may do (and prove the key works when it will not say)."""
    try:
        permissions = adapter.fetch_key_permissions()
        if not permissions.known:
            adapter.fetch_balance()
    finally:
        adapter.close()
    return permissions, assess_permissions(permissions, mode=mode)


def _raise_for_exchange_error(error: exchange_errors.ExchangeError) -> NoReturn:
    failure, message = _describe_failure(error)
    if failure == "auth":
        raise CredentialsRefusedError(
            message, field="api_key", code="credentials_refused"
        ) from None
    if failure == "permission":
        raise CredentialsRefusedError(
            message, field="api_key", code="key_permission_denied"
        ) from None
    if failure == "unknown_exchange":
        raise CredentialsRefusedError(message, field="exchange", code=failure) from None
    # network, rate limit, maintenance: one code, the message says which
    raise ExchangeUnreachableError(message) from None


def _snapshot(permissions: KeyPermissions, verdict: ScopeVerdict) -> dict[str, Any]:
    return {
        "permissions_known": permissions.known,
        "can_trade": permissions.can_trade,
        "can_withdraw": permissions.can_withdraw,
        "can_transfer": permissions.can_transfer,
        "ip_restricted": permissions.ip_restricted,
        "checked_at": timezone.now(),
        "warnings": list(verdict.warnings),
    }


@sensitive_variables()
def _check_formats(values: dict[str, str], *, exchange_id: str, require_passphrase: bool) -> None:
    checks = {"api_key": check_api_key, "secret": check_secret, "passphrase": check_passphrase}
    try:
        for name, value in values.items():
            checks[name](value)
    except CredentialFormatError as e:
        raise CredentialsRefusedError(str(e), field=e.field, code="malformed") from None
    if require_passphrase and exchange_id in PASSPHRASE_EXCHANGES and "passphrase" not in values:
        raise CredentialsRefusedError(
            "This exchange's keys come with a passphrase; enter it.",
            field="passphrase",
            code="required",
        )


def _exchange_for_keys(exchange_id: str) -> Exchange:
    exchange = exchange_find(ccxt_id=exchange_id, enabled=True, demo=False)
    if exchange is None:
        raise CredentialsRefusedError(
            "Unknown exchange: choose one of the enabled exchanges.",
            field="exchange",
            code="unknown_exchange",
        )
    return exchange


def _notify(owner_id: int, account: ExchangeAccount, kind: str) -> None:
    publish(
        group=user_group(owner_id),
        type="notification",
        id=account.pk,
        data={"kind": kind, "label": account.label, "key": account.masked_api_key},
    )


@sensitive_variables()
def exchange_account_create(
    *,
    owner: User,
    exchange_id: str,
    label: str,
    mode: str,
    api_key: str,
    secret: str,
    passphrase: str = "",
    ip_address: str | None = None,
    actor: User | None = None,
) -> ExchangeAccount:
    """Check a key with the exchange and store it encrypted; nothing is stored on failure.

    `actor` is who does it when not the owner (a staff member in the admin); the audit
    event names them.
    """
    for value in (api_key, secret, passphrase):
        register_secret(value or None)
    if mode not in ExchangeAccount.Mode.values:
        raise CredentialsRefusedError("Choose testnet or live.", field="mode", code="invalid")
    exchange = _exchange_for_keys(exchange_id)
    values = {"api_key": api_key, "secret": secret}
    if passphrase:
        values["passphrase"] = passphrase
    _check_formats(values, exchange_id=exchange.ccxt_id, require_passphrase=True)
    if ExchangeAccount.objects.filter(owner=owner, label=label).exists():
        raise CredentialsRefusedError(
            "You already have an exchange account with this label.", field="label", code="unique"
        )
    credentials = Credentials(api_key=api_key, secret=secret, passphrase=passphrase or None)
    try:
        adapter = _build_adapter(exchange=exchange, mode=mode, credentials=credentials)
        permissions, verdict = _probe(adapter, mode=mode)
    except exchange_errors.ExchangeError as e:
        _raise_for_exchange_error(e)
    if not verdict.accepted:
        raise CredentialsRefusedError(verdict.refused, field="api_key", code="key_scope")
    try:
        with transaction.atomic():
            # The row's id is bound into the ciphertexts, so it must exist before encrypting.
            account = ExchangeAccount.objects.create(
                owner=owner,
                exchange=exchange,
                label=label,
                mode=mode,
                key_last4=api_key[-4:],
                **_snapshot(permissions, verdict),
            )
            sealed = crypto.seal(keyring=_keyring(), record=_identity(account), fields=values)
            account.api_key_ct = sealed.fields["api_key"]
            account.secret_ct = sealed.fields["secret"]
            account.passphrase_ct = sealed.fields.get("passphrase", "")
            account.wrapped_key = sealed.wrapped_key
            account.key_id = sealed.key_id
            account.save(
                update_fields=["api_key_ct", "secret_ct", "passphrase_ct", "wrapped_key", "key_id"]
            )
            audit_record(
                action=AuditEvent.Action.EXCHANGE_KEY_CREATED,
                actor=actor or owner,
                target=account,
                ip_address=ip_address,
                details={"exchange": exchange.ccxt_id, "mode": mode, **_staff(actor, owner)},
            )
            _notify(owner.pk, account, "exchange_account.created")
    except IntegrityError:
        raise CredentialsRefusedError(
            "You already have an exchange account with this label.", field="label", code="unique"
        ) from None
    log.info(
        "exchange_account.created", account_id=account.pk, owner_id=owner.pk, mode=account.mode
    )
    return account


@sensitive_variables()
def exchange_account_update(
    *,
    account_id: int,
    owner: User,
    label: str | None = None,
    api_key: str = "",
    secret: str = "",
    passphrase: str = "",
    ip_address: str | None = None,
    actor: User | None = None,
) -> ExchangeAccount:
    """Change the label and/or replace credentials; blank credential fields keep stored ones.

    `actor` is who does it when not the owner (a staff member in the admin).
    """
    for value in (api_key, secret, passphrase):
        register_secret(value or None)
    account = ExchangeAccount.objects.select_related("exchange").get(pk=account_id, owner=owner)
    new = {
        name: value
        for name, value in (("api_key", api_key), ("secret", secret), ("passphrase", passphrase))
        if value
    }
    _check_formats(new, exchange_id=account.exchange.ccxt_id, require_passphrase=False)
    others = ExchangeAccount.objects.filter(owner=owner, label=label).exclude(pk=account.pk)
    if label is not None and label != account.label and others.exists():
        raise CredentialsRefusedError(
            "You already have an exchange account with this label.", field="label", code="unique"
        )
    snapshot: dict[str, Any] = {}
    if new:
        try:
            adapter = _open_adapter(account, replacing=new)
            permissions, verdict = _probe(adapter, mode=account.mode)
        except exchange_errors.ExchangeError as e:
            _raise_for_exchange_error(e)
        if not verdict.accepted:
            raise CredentialsRefusedError(verdict.refused, field="api_key", code="key_scope")
        snapshot = _snapshot(permissions, verdict)
    with transaction.atomic():
        locked = ExchangeAccount.objects.select_for_update().get(pk=account.pk)
        if label is not None:
            locked.label = label
        if new:
            _store_new_credentials(locked, new)
            for name, value in snapshot.items():
                setattr(locked, name, value)
            locked.status = ExchangeAccount.Status.OK
            locked.status_message = ""
            audit_record(
                action=AuditEvent.Action.EXCHANGE_KEY_ROTATED,
                actor=actor or owner,
                target=locked,
                ip_address=ip_address,
                details={"fields": sorted(new), **_staff(actor, owner)},
            )
        locked.save()
    locked.exchange = account.exchange
    return locked


@sensitive_variables()
def _store_new_credentials(account: ExchangeAccount, new: dict[str, str]) -> None:
    record = _identity(account)
    needed = {"api_key", "secret"} | ({"passphrase"} if account.passphrase_ct else set())
    if needed <= set(new):
        # Everything is new: a fresh data key, which also heals a record whose old key is lost.
        sealed = crypto.seal(keyring=_keyring(), record=record, fields=new)
        account.wrapped_key, account.key_id = sealed.wrapped_key, sealed.key_id
        ciphertexts = dict(sealed.fields)
    else:
        try:
            ciphertexts = {
                name: crypto.seal_field(
                    keyring=_keyring(),
                    record=record,
                    wrapped_key=account.wrapped_key,
                    field=name,
                    plaintext=value,
                )
                for name, value in new.items()
            }
        except crypto.CryptoError as e:
            raise CredentialsUnreadableError(unreadable_message(e)) from None
    account.api_key_ct = ciphertexts.get("api_key", account.api_key_ct)
    account.secret_ct = ciphertexts.get("secret", account.secret_ct)
    account.passphrase_ct = ciphertexts.get("passphrase", account.passphrase_ct)
    if "api_key" in new:
        account.key_last4 = new["api_key"][-4:]


@transaction.atomic
def exchange_account_delete(
    *, account_id: int, owner: User | None, actor: User | None = None, ip_address: str | None = None
) -> None:
    """Delete an exchange account (its ciphertexts with it) and audit it.

    `owner` scopes the lookup (None only for staff tools such as the admin).
    """
    rows = ExchangeAccount.objects.select_for_update()
    account = rows.get(pk=account_id) if owner is None else rows.get(pk=account_id, owner=owner)
    audit_record(
        action=AuditEvent.Action.EXCHANGE_KEY_DELETED,
        actor=actor or owner,
        target=account,
        ip_address=ip_address,
        details={"owner_id": account.owner_id, "exchange_id": account.exchange_id},
    )
    account.delete()


def exchange_account_check(
    *,
    account_id: int,
    owner_id: int | None = None,
    actor: User | None = None,
    ip_address: str | None = None,
) -> ConnectionReport:
    """Ask the exchange what the stored key may do, record the answer, and report it.

    The daily check and the "test connection" action both come here. A key that is refused
    or now allows too much is marked unusable; passing trouble (network, maintenance) leaves
    the status as it was. A check someone asked for (`actor`: the owner, or staff) is
    audited with its outcome; the daily check is not.
    """
    report = _check(account_id=account_id, owner_id=owner_id)
    if actor is not None:
        account = ExchangeAccount.objects.filter(pk=account_id).first()
        if account is not None:
            audit_record(
                action=AuditEvent.Action.EXCHANGE_KEY_TESTED,
                actor=actor,
                target=account,
                ip_address=ip_address,
                details={
                    "ok": report.ok,
                    "failure": report.failure,
                    **_staff(actor, account.owner),
                },
            )
    return report


def _staff(actor: User | None, owner: User) -> dict[str, Any]:
    """Name the staff member who acted on someone else's key (for the audit details)."""
    if actor is None or actor.pk == owner.pk:
        return {}
    return {"by_staff": actor.get_username()}


def _check(*, account_id: int, owner_id: int | None) -> ConnectionReport:
    rows = ExchangeAccount.objects.select_related("exchange")
    account = (
        rows.get(pk=account_id) if owner_id is None else rows.get(pk=account_id, owner_id=owner_id)
    )
    try:
        adapter = _open_adapter(account)
        permissions, verdict = _probe(adapter, mode=account.mode)
    except CredentialsUnreadableError as e:
        return ConnectionReport(ok=False, failure="decryption", detail=str(e))
    except exchange_errors.ExchangeError as e:
        failure, message = _describe_failure(e)
        if not e.retryable:
            _mark_unusable(account, message)
        log.info("exchange_account.check_failed", account_id=account.pk, failure=failure)
        return ConnectionReport(
            ok=False, failure=failure, detail=message, exchange_message=redact_text(str(e))[:300]
        )
    snapshot = _snapshot(permissions, verdict)
    ExchangeAccount.objects.filter(pk=account.pk).update(**snapshot)
    permissions_report = {
        "known": permissions.known,
        "can_trade": permissions.can_trade,
        "can_withdraw": permissions.can_withdraw,
        "can_transfer": permissions.can_transfer,
        "ip_restricted": permissions.ip_restricted,
    }
    if not verdict.accepted:
        _mark_unusable(account, verdict.refused)
        key_scope_notice(
            owner_id=account.owner_id,
            account_id=account.pk,
            label=account.label,
            reason=verdict.refused,
        )
        return ConnectionReport(
            ok=False,
            failure="key_scope",
            detail=verdict.refused,
            permissions=permissions_report,
        )
    ExchangeAccount.objects.filter(pk=account.pk).update(
        status=ExchangeAccount.Status.OK, status_message=""
    )
    return ConnectionReport(ok=True, warnings=verdict.warnings, permissions=permissions_report)


def exchange_account_rewrap(*, account_id: int) -> str:
    """Re-wrap one record's data key under the first master key; idempotent.

    Returns "rewrapped", "current" (already under the first key) or "failed" (the record
    could not be decrypted and is now marked unusable).
    """
    current_id = _keyring()[0][0]
    with transaction.atomic():
        account = ExchangeAccount.objects.select_for_update().get(pk=account_id)
        if account.key_id == current_id and crypto.key_id_of(account.wrapped_key) == current_id:
            return "current"
        try:
            key_id, wrapped = crypto.rewrap(
                keyring=_keyring(),
                record=_identity(account),
                wrapped_key=account.wrapped_key,
                fields=_stored(account),
            )
        except crypto.CryptoError as e:
            failed = e
        else:
            account.wrapped_key, account.key_id = wrapped, key_id
            account.save(update_fields=["wrapped_key", "key_id", "updated_at"])
            return "rewrapped"
    _mark_unusable(account, unreadable_message(failed))
    return "failed"

"""Inbound alerts: configure a bot's hook, and turn a received alert into a signal for it.

An alert is checked in this order, and each refusal is logged with its reason: the hook is
on, the source address is allowed, the hook's per-minute limit holds, the body is a JSON
object, the secret matches (header `X-QT-Secret` or the body's `secret`), the timestamp is
inside the window, the alert id was never used, the action is buy, sell or close, and the
symbol is the bot's market. An accepted alert then goes through the bot's own risk checks
and the order path, exactly as a model's signal does (`trading.bots.engine`).
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import re
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import structlog
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.services import notify
from markets.core.errors import QuantumTraderError
from trading.alerts.models import AlertHook, AlertReceipt
from trading.models import Bot

log = structlog.get_logger(__name__)

MAX_BODY = 4096
ACTIONS = ("buy", "sell", "close")
SECRET_HEADER = "HTTP_X_QT_SECRET"  # noqa: S105 - a header name, not a secret
_ALERT_ID = re.compile(r"^[\w.:-]{1,100}$", re.ASCII)


class AlertHookError(QuantumTraderError):
    """A hook setting is invalid; the message is safe to show."""

    code = "invalid"
    status = 400


class AlertRefused(QuantumTraderError):
    """An inbound alert was refused; `code` says why, the message explains it."""

    status = 400

    def __init__(self, message: str, *, code: str, status: int = 400, field: str | None = None):
        super().__init__(message, code=code, field=field)
        self.status = status


@dataclass
class Alert:
    """The parts of an alert the log keeps (never the secret)."""

    alert_id: str = ""
    action: str = ""
    symbol: str = ""
    price: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _networks(values: Any) -> list[str]:
    if not isinstance(values, list) or len(values) > 50:
        raise AlertHookError("Give a list of at most 50 addresses.", field="allowed_addresses")
    cleaned = []
    for value in values:
        try:
            cleaned.append(str(ipaddress.ip_network(str(value), strict=False)))
        except ValueError:
            raise AlertHookError(
                f"{str(value)[:45]!r} is not an address or network.", field="allowed_addresses"
            ) from None
    return cleaned


def _bounded(value: Any, name: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise AlertHookError(f"Give a whole number from {low} to {high}.", field=name)
    return int(value)


def hook_get(*, bot: Bot) -> AlertHook | None:
    """Return the bot's hook, if it has one."""
    return AlertHook.objects.filter(bot=bot).first()


def hook_configure(
    *, bot: Bot, changes: dict[str, Any], rotate_secret: bool = False
) -> tuple[AlertHook, str]:
    """Create or change a bot's hook; return it and its new secret ("" when unchanged)."""
    with transaction.atomic():
        hook = AlertHook.objects.select_for_update().filter(bot=bot).first()
        new_secret = ""
        if hook is None:
            hook = AlertHook(bot=bot)
            rotate_secret = True
        if rotate_secret:
            new_secret = secrets.token_urlsafe(24)
            hook.secret_digest, hook.secret_last4 = _digest(new_secret), new_secret[-4:]
        if "enabled" in changes:
            hook.enabled = bool(changes["enabled"])
        if "allowed_addresses" in changes:
            hook.allowed_addresses = _networks(changes["allowed_addresses"])
        if "max_per_minute" in changes:
            hook.max_per_minute = _bounded(changes["max_per_minute"], "max_per_minute", 1, 600)
        if "window_seconds" in changes:
            hook.window_seconds = _bounded(changes["window_seconds"], "window_seconds", 10, 3600)
        hook.updated_at = timezone.now()
        hook.save()
    return hook, new_secret


def hook_delete(*, bot: Bot) -> None:
    """Remove a bot's hook and its alert log."""
    AlertHook.objects.filter(bot=bot).delete()


# --- receiving --------------------------------------------------------------------------------


def _address_allowed(hook: AlertHook, address: str | None) -> bool:
    if not hook.allowed_addresses:
        return True
    if address is None:
        return False
    ip = ipaddress.ip_address(address)
    return any(ip in ipaddress.ip_network(net) for net in hook.allowed_addresses)


def _parse(raw: bytes) -> dict[str, Any]:
    if len(raw) > MAX_BODY:
        raise AlertRefused(f"The body is longer than {MAX_BODY} bytes.", code="malformed")
    try:
        body = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise AlertRefused("The body is not valid JSON.", code="malformed") from None
    if not isinstance(body, dict):
        raise AlertRefused("The body must be a JSON object.", code="malformed")
    return body


def _timestamp(value: Any) -> datetime:
    """Read epoch seconds, epoch milliseconds or ISO 8601 (TradingView's `{{timenow}}`)."""
    if isinstance(value, bool):
        raise ValueError("not a time")
    if isinstance(value, int | float) or (isinstance(value, str) and value.isdigit()):
        number = float(value)
        if number > 10**11:  # milliseconds
            number /= 1000.0
        return datetime.fromtimestamp(number, tz=UTC)
    if isinstance(value, str):
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        if moment.tzinfo is None:
            raise ValueError("a time without its zone")
        return moment
    raise ValueError("not a time")


def _symbol_matches(given: str, bot: Bot) -> bool:
    """TradingView writes `BTCUSDT` or `BINANCE:BTCUSDT`; the bot's market is `BTC/USDT`."""
    plain = given.rsplit(":", 1)[-1].replace("/", "").replace("-", "").upper()
    market = bot.market
    return plain == f"{market.base}{market.quote}".upper()


def _read(body: dict[str, Any]) -> Alert:
    alert = Alert()
    raw_id = body.get("id", body.get("alert_id"))
    if isinstance(raw_id, str | int) and not isinstance(raw_id, bool):
        alert.alert_id = str(raw_id)[:100]
    alert.action = str(body.get("action", ""))[:8].lower()
    alert.symbol = str(body.get("symbol", body.get("ticker", "")))[:40]
    price = body.get("price")
    alert.price = str(price)[:40] if isinstance(price, int | float | str) else ""
    return alert


def _check_secret(hook: AlertHook, body: dict[str, Any], header: str | None) -> None:
    given = header if header else body.get("secret")
    if not isinstance(given, str) or not hmac.compare_digest(_digest(given), hook.secret_digest):
        raise AlertRefused("The secret is missing or wrong.", code="wrong_secret", status=403)


def _check_fresh(hook: AlertHook, body: dict[str, Any], now: datetime, header: str | None) -> None:
    value = body.get("timestamp", body.get("time", header))
    if value is None:
        raise AlertRefused(
            "Give the alert's timestamp.", code="missing_timestamp", field="timestamp"
        )
    try:
        moment = _timestamp(value)
    except (ValueError, OverflowError, OSError):
        raise AlertRefused(
            "The timestamp is not a time.", code="malformed", field="timestamp"
        ) from None
    if abs((now - moment).total_seconds()) > hook.window_seconds:
        raise AlertRefused(
            f"The timestamp is more than {hook.window_seconds} s away from the server's clock.",
            code="stale_timestamp",
            field="timestamp",
        )


def _check_content(alert: Alert, bot: Bot) -> None:
    if not _ALERT_ID.match(alert.alert_id):
        raise AlertRefused(
            "Give the alert an id (letters, digits, . : _ -), used once.",
            code="missing_alert_id",
            field="id",
        )
    if alert.action not in ACTIONS:
        raise AlertRefused(
            "The action must be buy, sell or close.", code="bad_action", field="action"
        )
    if not _symbol_matches(alert.symbol, bot):
        raise AlertRefused(
            f"This bot trades {bot.market.symbol}, not {alert.symbol[:40]!r}.",
            code="unknown_symbol",
            field="symbol",
        )


@dataclass(frozen=True)
class AlertResult:
    receipt: AlertReceipt
    refused: AlertRefused | None


def _log(hook: AlertHook, alert: Alert, address: str | None, **values: Any) -> AlertReceipt:
    return AlertReceipt.objects.create(
        hook=hook,
        source_address=address,
        alert_id=alert.alert_id,
        action=alert.action,
        symbol=alert.symbol,
        price=alert.price,
        **values,
    )


def _refuse(
    hook: AlertHook, alert: Alert, address: str | None, error: AlertRefused, *, tell: bool
) -> AlertResult:
    receipt = _log(hook, alert, address, accepted=False, reason=error.code, message=error.message)
    log.info("alert.refused", hook_id=hook.pk, bot_id=hook.bot_id, reason=error.code)
    if tell:
        notify(
            user_id=hook.bot.owner_id,
            kind="inbound_alert.refused",
            title=f"Alert for bot {hook.bot.name} refused",
            body=error.message,
            data={"bot_id": hook.bot_id, "receipt_id": receipt.pk, "reason": error.code},
        )
    return AlertResult(receipt, error)


def alert_receive(
    *,
    bot_id: int,
    raw: bytes,
    address: str | None,
    secret_header: str | None = None,
    timestamp_header: str | None = None,
) -> AlertResult:
    """Check one inbound alert and, when it passes, act on it; every outcome is logged.

    Raises AlertHook.DoesNotExist when the bot has no enabled hook (the caller answers 404).
    """
    from trading.alerts.execute import alert_execute

    now = timezone.now()
    with transaction.atomic():
        hook = (
            AlertHook.objects.select_for_update()
            .select_related("bot", "bot__market")
            .get(bot_id=bot_id, enabled=True)
        )
        alert = Alert()
        if not _address_allowed(hook, address):
            error = AlertRefused(
                "Alerts are not taken from this address.", code="address_refused", status=403
            )
            return _refuse(hook, alert, address, error, tell=False)
        recent = AlertReceipt.objects.filter(
            hook=hook, received_at__gte=now - timedelta(minutes=1)
        ).count()
        if recent >= hook.max_per_minute:
            error = AlertRefused(
                f"More than {hook.max_per_minute} alerts a minute.", code="rate_limited", status=429
            )
            return _refuse(hook, alert, address, error, tell=False)
        try:
            body = _parse(raw)
            alert = _read(body)
            _check_secret(hook, body, secret_header)
        except AlertRefused as e:
            return _refuse(hook, alert, address, e, tell=False)
        try:
            _check_fresh(hook, body, now, timestamp_header)
            _check_content(alert, hook.bot)
        except AlertRefused as e:
            return _refuse(hook, alert, address, e, tell=True)
    try:
        with transaction.atomic():
            receipt = _log(
                hook, alert, address, claimed=True, accepted=True, reason="accepted", outcome=""
            )
            outcome = alert_execute(
                bot_id=hook.bot_id, target=1.0 if alert.action == "buy" else 0.0
            )
            receipt.outcome, receipt.message = outcome.outcome, outcome.reason
            receipt.order_id, receipt.checks = outcome.order_id, outcome.checks
            receipt.save(update_fields=["outcome", "message", "order", "checks"])
    except IntegrityError:
        error = AlertRefused(
            "This alert id was already used.", code="replayed", status=409, field="id"
        )
        return _refuse(hook, alert, address, error, tell=True)
    except AlertRefused as e:
        return _refuse(hook, alert, address, e, tell=True)
    log.info(
        "alert.accepted",
        hook_id=hook.pk,
        bot_id=hook.bot_id,
        outcome=receipt.outcome,
        order_id=receipt.order_id,
    )
    return AlertResult(receipt, None)

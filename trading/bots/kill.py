"""Kill switches: per user and global. While one is on, no new order is sent for its scope.

The check runs in three places: the engine before it decides to order, the order path when
it places an order (`OrderIntents.add`, with the switches read once per chunk of ticks) and
in the statement that claims an order for sending (`order_claim`; `order_kill_check` says
why a claim was refused), so an order placed earlier but not yet sent is refused too. The
one exception is a bot's closing order (the sale of its position an owner asked for when
killing), recorded as `Bot.closing_order`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import structlog
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from accounts.events import user_group
from accounts.services import AuditAction, audit_record
from markets import stream
from markets.core.errors import QuantumTraderError
from trading.bots.notices import kill_switch_notice
from trading.bots.payloads import kill_switch_payload
from trading.models import Bot, KillSwitch, Order

log = structlog.get_logger(__name__)


class KillSwitchOnError(QuantumTraderError):
    """An order refused because a kill switch is on (or its bot is halted or stopped)."""

    code = "kill_switch_on"
    status = 409


class KillSwitchForbiddenError(QuantumTraderError):
    """Only staff may use the global kill switch."""

    code = "permission_denied"
    status = 403


def _reason(switch: KillSwitch) -> str:
    which = "The global kill switch" if switch.scope == "global" else "Your kill switch"
    suffix = f": {switch.reason}" if switch.reason else ""
    return f"{which} is on{suffix}; no new order is sent."


def kill_switch_reason(*, owner_id: int) -> str:
    """Return why the owner's orders are stopped by a kill switch ('' when none is on)."""
    return kill_switch_reasons(owner_ids=[owner_id]).get(owner_id, "")


def kill_switch_reasons(*, owner_ids: Iterable[int]) -> dict[int, str]:
    """Return, in one query, why each owner's orders are stopped (owners with none left out).

    The global switch comes first: its reason is every owner's while it is on.
    """
    owners = set(owner_ids)
    if not owners:
        return {}
    switches = KillSwitch.objects.filter(
        Q(scope=KillSwitch.Scope.GLOBAL) | Q(scope=KillSwitch.Scope.USER, user_id__in=owners),
        active=True,
    )
    reasons: dict[int, str] = {}
    for switch in switches:
        if switch.scope == KillSwitch.Scope.GLOBAL:
            return dict.fromkeys(owners, _reason(switch))
        if switch.user_id is not None:
            reasons[switch.user_id] = _reason(switch)
    return reasons


def order_kill_check(order: Order) -> None:
    """Raise KillSwitchOnError if `order` may not be sent: a kill switch or its bot's state.

    A bot's closing order passes (the kill asked for it).
    """
    bot_id = order.bot_id
    if bot_id is not None:
        bot = Bot.objects.filter(pk=bot_id).values("state", "state_reason", "closing_order_id")
        row = bot.first()
        if row is not None and row["closing_order_id"] == order.pk:
            return
        if row is not None and row["state"] != Bot.State.RUNNING:
            raise KillSwitchOnError(
                f"Bot #{bot_id} is {row['state']}"
                + (f" ({row['state_reason']})" if row["state_reason"] else "")
                + "; its orders are not sent.",
                field="bot",
            )
    reason = kill_switch_reason(owner_id=order.owner_id)
    if reason:
        raise KillSwitchOnError(reason)


def kill_switch_list(*, user: Any) -> list[KillSwitch]:
    """Return the user's switch and the global one (as stored; missing ones are off)."""
    return list(
        KillSwitch.objects.filter(Q(scope="global") | Q(scope="user", user=user)).order_by("scope")
    )


def kill_switch_set(
    *,
    actor: Any,
    scope: str,
    active: bool,
    reason: str = "",
    cancel_orders: bool = False,
    close_positions: bool = False,
    ip_address: str | None = None,
) -> KillSwitch:
    """Turn the actor's own (scope "user") or, for staff, the global kill switch on or off.

    Turning it on can also cancel open orders and close the positions of the bots it covers.
    Raises KillSwitchForbiddenError (403) for a non-staff global request.
    """
    if scope not in (KillSwitch.Scope.USER, KillSwitch.Scope.GLOBAL):
        raise QuantumTraderError("scope must be user or global.", field="scope", code="invalid")
    if scope == KillSwitch.Scope.GLOBAL and not actor.is_staff:
        raise KillSwitchForbiddenError("Only staff can use the global kill switch.")
    user = actor if scope == KillSwitch.Scope.USER else None
    now = timezone.now()
    with transaction.atomic():
        try:
            with transaction.atomic():
                switch, _ = KillSwitch.objects.select_for_update().get_or_create(
                    scope=scope, user=user
                )
        except IntegrityError:
            switch = KillSwitch.objects.select_for_update().get(scope=scope, user=user)
        switch.active, switch.reason = active, reason.strip()[:500]
        switch.changed_by, switch.changed_at = actor, now
        switch.save()
        audit_record(
            action=AuditAction.KILL_SWITCH,
            actor=actor,
            target=switch,
            ip_address=ip_address,
            details={"scope": scope, "active": active, "reason": reason[:200]},
        )
        owners = [actor.pk] if user is not None else []
        for owner_id in owners:
            stream.publish(
                group=user_group(owner_id),
                type="bot",
                id=switch.pk,
                data={"event": "kill_switch", "kill_switch": kill_switch_payload(switch)},
            )
            kill_switch_notice(switch, owner_id)
    log.warning("kill_switch.set", scope=scope, active=active, actor_id=actor.pk)
    if active and (cancel_orders or close_positions):
        _wind_down(user=user, cancel_orders=cancel_orders, close_positions=close_positions)
    return switch


def _wind_down(*, user: Any, cancel_orders: bool, close_positions: bool) -> None:
    from trading.bots.services import bot_cancel_open_orders, bot_close_position

    bots = Bot.objects.select_related("owner", "market__exchange")
    if user is not None:
        bots = bots.filter(owner=user)
    for bot in bots.order_by("id"):
        if cancel_orders:
            bot_cancel_open_orders(bot=bot)
        if close_positions:
            with transaction.atomic():
                bot_close_position(bot=bot)

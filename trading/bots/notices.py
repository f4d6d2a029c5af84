"""What a user hears about their bots: starts, halts and kill switches, via `notify`."""

from __future__ import annotations

from typing import Any

from accounts.services import notify
from trading.models import Bot, KillSwitch

_TOLD = {"started": ("bot.started", "started"), "halted": ("bot.halted", "halted")}


def bot_event_notice(bot: Bot, event: str, extra: dict[str, Any]) -> None:
    """Tell the owner that a bot started or halted (other bot events say nothing)."""
    told = _TOLD.get(event)
    if told is None:
        return
    kind, verb = told
    reason = str(extra.get("reason") or bot.state_reason or "")[:300]
    notify(
        user_id=bot.owner_id,
        kind=kind,
        title=f"Bot {bot.name} {verb}",
        body=reason,
        data={"bot_id": bot.pk, "event": event, "reason": reason},
    )


def kill_switch_notice(switch: KillSwitch, owner_id: int) -> None:
    """Tell a user that their kill switch was turned on or off."""
    state = "on" if switch.active else "off"
    notify(
        user_id=owner_id,
        kind="bot.kill_switch",
        title=f"Kill switch {state}",
        body=switch.reason,
        data={"scope": switch.scope, "active": switch.active},
    )

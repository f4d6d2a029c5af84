"""Stream groups private to one user: `user.<id>` (orders, fills, bots, backtests, notices)."""

from __future__ import annotations

import re

USER_GROUP = re.compile(r"^user\.(\d+)$")


def user_group(user_id: int) -> str:
    """Name the group that only this user's connections join."""
    return f"user.{int(user_id)}"


def user_id_of_group(topic: str) -> int | None:
    match = USER_GROUP.match(topic)
    return int(match.group(1)) if match else None

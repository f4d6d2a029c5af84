"""Stream groups private to one user or one sign-in.

`user.<id>`: the user's orders, fills, bots, backtests and notices. `signin.<id>`: the
connections opened with one session or token, closed when that sign-in is revoked.
"""

from __future__ import annotations

import re

USER_GROUP = re.compile(r"^user\.(\d+)$")


def user_group(user_id: int) -> str:
    """Name the group that only this user's connections join."""
    return f"user.{int(user_id)}"


def user_id_of_group(topic: str) -> int | None:
    match = USER_GROUP.match(topic)
    return int(match.group(1)) if match else None


SIGN_IN_REVOKED = "sign_in.revoked"  # the consumer's handler: close the connection


def sign_in_group(sign_in_id: int) -> str:
    """Name the group of the connections opened with one session or token."""
    return f"signin.{int(sign_in_id)}"

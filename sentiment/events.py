"""Stream groups for news, posts and sentiment: `asset.<ASSET>`."""

from __future__ import annotations

import re

ASSET_GROUP = re.compile(r"^asset\.[A-Z0-9]{1,20}$")


def asset_group(asset: str) -> str:
    """Name the group carrying news, posts and sentiment aggregates for one asset."""
    return f"asset.{asset.upper()}"


def is_asset_group(topic: str) -> bool:
    return ASSET_GROUP.match(topic) is not None

"""What the signals app tells other apps: a champion model was promoted.

Apps above signals connect to `champion_promoted` in their `AppConfig.ready` (trading tells the
owners of the bots that trade the champion). It is sent once the promotion is committed, with
`model_version_id` (the new champion) and `retired_ids` (the champions it replaced).
"""

from __future__ import annotations

from django.dispatch import Signal

champion_promoted = Signal()

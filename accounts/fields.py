"""A text column holding ciphertext, so tools (admin, the test suite's sweeps) can tell it apart."""

from __future__ import annotations

from django.db import models


class CiphertextField(models.TextField[str, str]):
    """Encrypted, serialized text (see accounts/core/crypto.py); never shown or edited."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

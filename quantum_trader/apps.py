"""The wiring's app: connects apps that share a floor and so may not import each other."""

from __future__ import annotations

from django.apps import AppConfig
from django.conf import settings


class WiringConfig(AppConfig):
    name = "quantum_trader"
    verbose_name = "Wiring"

    def ready(self) -> None:
        # Imported here: the selectors need the app registry, which is ready only now.
        from quantum_trader.sentiment_source import SentimentSelectorsSource
        from signals.core.sentiment import sentiment_source_install

        if settings.SIGNALS_USE_SENTIMENT:
            sentiment_source_install(SentimentSelectorsSource())

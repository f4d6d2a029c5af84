"""The sentiment sources the platform polls."""

from __future__ import annotations

from sentiment.models import Source

DEFAULT_ASSETS = ["BTC", "ETH"]
DEFAULT_QUERIES = {
    "BTC": "(bitcoin OR btc OR #bitcoin) lang:en -is:retweet",
    "ETH": "(ethereum OR #ethereum OR ether) lang:en -is:retweet",
}


def sources_ensure() -> list[Source]:
    """Create the CryptoPanic, X and demo sources if they are missing; return all three."""
    defaults: list[tuple[str, str, dict[str, int | bool | dict[str, str]]]] = [
        ("CryptoPanic", Source.Kind.CRYPTOPANIC, {"poll_interval_seconds": 300}),
        (
            "X recent search",
            Source.Kind.X,
            {"poll_interval_seconds": 900, "queries": DEFAULT_QUERIES},
        ),
        ("Demo headlines", Source.Kind.DEMO, {"poll_interval_seconds": 60, "is_demo": True}),
    ]
    sources = []
    for name, kind, extra in defaults:
        source, _ = Source.objects.get_or_create(
            name=name, defaults={"kind": kind, "assets": list(DEFAULT_ASSETS), **extra}
        )
        sources.append(source)
    return sources

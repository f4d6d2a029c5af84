"""Demo headlines for the offline default: written for the project, emitted deterministically.

Time is cut into 10-minute slots per asset; a slot's seed decides whether it carries a
headline, which one, when in the slot it was published and how long collection took. The
mood drifts slowly (a few days per swing) so the aggregates show regimes, not only noise.
The same slot always yields the same headline, so replays and backfills are idempotent.
"""

from __future__ import annotations

import hashlib
import math
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

SLOT = timedelta(minutes=10)
PUBLISH_PROBABILITY = 0.4
ASSET_NAMES = {"BTC": "Bitcoin", "ETH": "Ether", "SOL": "Solana", "XRP": "XRP"}

POSITIVE = (
    "{name} climbs as spot ETF inflows pick up again",
    "{name} breaks out above its monthly range on strong volume",
    "Analysts turn bullish on {code} after a week of steady gains",
    "{name} rallies as long-term holders keep accumulating",
    "Institutional desks report record demand for {code}",
    "{name} rebounds quickly after a brief dip",
    "{code} funding rates stay healthy as the rally broadens",
    "Large exchange adds {code} to its savings programme",
    "{name} hits its highest level in three months",
    "Payment app lets users buy {code} directly, boosting adoption",
    "{code} outperforms the wider crypto market this week",
    "Short squeeze sends {name} higher overnight",
    "Whales add to their {code} positions as exchange balances fall",
    "{name} network activity reaches a record as fees stay low",
    "Fund manager calls {code} the strongest asset of the quarter",
    "{name} gains after a smooth network upgrade",
    "Traders cheer as {code} reclaims a key level",
    "{code} options traders position for more upside",
    "{name} surges as a major bank opens custody to clients",
    "Optimism returns to {code} markets after regulatory clarity",
    "{name} holders celebrate a golden cross on the daily chart",
    "Retail interest in {code} picks up, search data shows",
)
NEGATIVE = (
    "{name} slides as traders take profits",
    "{code} drops sharply after a large transfer to exchanges",
    "Long positions in {code} liquidated as the price tumbles",
    "{name} falls below a key support level",
    "Analysts turn bearish on {code} after weak inflows",
    "{name} ETFs record a third day of outflows",
    "Exchange pauses {code} withdrawals during an outage",
    "{code} slumps as risk appetite fades across markets",
    "Regulator warns about leverage in {code} trading",
    "{name} sell-off deepens as funding turns negative",
    "Miners send more {code} to exchanges as margins shrink",
    "{name} plunges in a flash crash on thin liquidity",
    "Hack at a small lender hits {code} sentiment",
    "{code} underperforms as traders rotate into stablecoins",
    "Fear grips {name} markets after a sudden drop",
    "{name} suffers its worst week in two months",
    "Whale dumps {code} and the price slides",
    "{code} death cross worries chart watchers",
    "Lawsuit against a major {code} custodian unsettles holders",
    "{name} loses ground as the dollar strengthens",
    "Panic selling hits {code} after a fake exchange rumour",
    "{name} network fees spike as congestion frustrates users",
)
NEUTRAL = (
    "{name} trades flat ahead of US inflation data",
    "{code} moves sideways as weekend volume thins",
    "{name} developers publish notes from their weekly call",
    "Exchange lists a new {code} trading pair",
    "{name} price steady near the middle of its range",
    "{code} open interest little changed on the day",
    "Report examines who holds the most {code}",
    "{name} hash rate data updated for the week",
    "Conference panel discusses the future of {code}",
    "{code} options expiry due on Friday",
    "{name} wallet releases a maintenance update",
    "Analysts split on the next move for {code}",
    "{name} testnet schedules its next upgrade rehearsal",
    "{code} dominance holds at last week's level",
    "Custodian publishes its monthly {code} reserve report",
    "{name} trading volume in line with the monthly average",
    "Research note compares {code} to gold over ten years",
    "{name} community votes on a documentation grant",
    "{code} markets await the central bank decision",
    "Explainer: how {name} transaction fees are set",
)
ASSET_SPECIFIC: dict[str, tuple[tuple[str, str], ...]] = {
    "BTC": (
        ("Bitcoin miners report healthy margins after the difficulty adjustment", "positive"),
        ("Bitcoin hash rate climbs to a new all-time high", "positive"),
        ("Lightning Network capacity grows for a fifth month", "positive"),
        ("Bitcoin miners capitulate as hashprice hits a low", "negative"),
        ("Old Bitcoin wallet wakes up and moves coins to an exchange", "negative"),
        ("Bitcoin difficulty adjustment due in two days", "neutral"),
        ("Bitcoin Core release candidate enters testing", "neutral"),
    ),
    "ETH": (
        ("Ether staking deposits climb as the queue empties", "positive"),
        ("Layer 2 networks push Ethereum usage to a record", "positive"),
        ("Ether burn rate rises as on-chain activity grows", "positive"),
        ("Ethereum client bug causes missed blocks for some validators", "negative"),
        ("DeFi exploit drains an Ethereum lending pool", "negative"),
        ("Ethereum developers set a date for the next testnet fork", "neutral"),
        ("Ether gas fees unchanged through the week", "neutral"),
    ),
}


@dataclass(frozen=True)
class DemoHeadline:
    external_id: str
    asset: str
    title: str
    intended: str
    published_at: datetime
    collected_after: timedelta
    votes: dict[str, int]


def _rng(asset: str, slot_index: int) -> random.Random:
    digest = hashlib.sha256(f"qt-demo:{asset}:{slot_index}".encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))  # noqa: S311 (not security)


def mood(asset: str, moment: datetime) -> float:
    """Return the drifting demo mood in [-1, 1] for an asset at a time."""
    days = moment.timestamp() / 86_400
    phase = (sum(map(ord, asset)) % 17) / 17 * 2 * math.pi
    return 0.7 * math.sin(days * 2 * math.pi / 9 + phase) + 0.3 * math.sin(days * 2 * math.pi / 2.3)


def _pick(asset: str, rng: random.Random, moment: datetime) -> tuple[str, str]:
    drift = mood(asset, moment)
    p_pos = 0.35 + 0.25 * drift
    p_neg = 0.35 - 0.25 * drift
    draw = rng.random()
    intended = "positive" if draw < p_pos else "negative" if draw < p_pos + p_neg else "neutral"
    specific = [t for t, label in ASSET_SPECIFIC.get(asset, ()) if label == intended]
    pool = {"positive": POSITIVE, "negative": NEGATIVE, "neutral": NEUTRAL}[intended]
    if specific and rng.random() < 0.2:
        return rng.choice(specific), intended
    name = ASSET_NAMES.get(asset, asset)
    return rng.choice(pool).format(name=name, code=asset), intended


def slot_headline(asset: str, slot_index: int) -> DemoHeadline | None:
    """Return the headline of one slot, or None when the slot is quiet."""
    rng = _rng(asset, slot_index)
    if rng.random() >= PUBLISH_PROBABILITY:
        return None
    slot_start = datetime.fromtimestamp(slot_index * SLOT.total_seconds(), tz=UTC)
    published_at = slot_start + timedelta(seconds=rng.randrange(int(SLOT.total_seconds())))
    title, intended = _pick(asset, rng, published_at)
    base_votes = rng.randrange(0, 6)
    votes = {
        "positive": base_votes + (rng.randrange(1, 8) if intended == "positive" else 0),
        "negative": base_votes // 2 + (rng.randrange(1, 8) if intended == "negative" else 0),
        "important": rng.randrange(0, 4),
    }
    return DemoHeadline(
        external_id=f"demo-{asset}-{slot_index}",
        asset=asset,
        title=title,
        intended=intended,
        published_at=published_at,
        collected_after=timedelta(seconds=rng.randrange(20, 240)),
        votes=votes,
    )


def headlines(asset: str, start: datetime, end: datetime) -> list[DemoHeadline]:
    """Return the demo headlines of an asset published in `[start, end)`, oldest first."""
    step = int(SLOT.total_seconds())
    first = int(start.timestamp()) // step
    last = int(end.timestamp()) // step
    found = []
    for index in range(first, last + 1):
        item = slot_headline(asset.upper(), index)
        if item is not None and start <= item.published_at < end:
            found.append(item)
    return found

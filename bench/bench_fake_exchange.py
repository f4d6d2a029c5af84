"""The fake exchange under load: bare ccxt create_order latency, and a fault storm's ledger.

1. 1,000 market orders through bare ccxt `create_order` (no adapter) with 0 latency: p50/p99.
   This is the reference the engine's submit path is compared with (target: within 2x).
2. The same through `CcxtAdapter.create_order` (budget, client-id checks, Decimal mapping).
3. 10,000 orders from 4 threads with 20 % of answers dropped after accepting, 5 % 5xx after
   and 5 % 5xx before: the ledger must hold each accepted id once (sent once each, no resend).
"""

from __future__ import annotations

import statistics
import sys
import threading
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from markets.core import errors
from markets.core.adapter import Credentials
from markets.core.ccxt_adapter import CcxtAdapter
from markets.core.orders import OrderRequest
from markets.core.retry import MemoryRateBudget
from markets.testing.fake_exchange import FakeExchange, FaultRates

N_LATENCY = 1_000
N_STORM = 10_000
THREADS = 4


def _adapter(url: str) -> CcxtAdapter:
    return CcxtAdapter(
        "binance",
        credentials=Credentials("bench-key", "bench-secret"),
        base_url=url,
        budget=MemoryRateBudget(default_rate=1e9, burst=1e9),
    )


def _percentiles(samples: list[float]) -> tuple[float, float]:
    cuts = statistics.quantiles(samples, n=100)
    return cuts[49] * 1e3, cuts[98] * 1e3


def bare_ccxt(url: str) -> tuple[float, float]:
    client = _adapter(url).client
    client.load_markets()
    samples = []
    for i in range(N_LATENCY):
        start = time.perf_counter()
        client.create_order(
            "BTC/USDT", "market", "buy", 0.001, None, {"newClientOrderId": f"b-{i}"}
        )
        samples.append(time.perf_counter() - start)
    return _percentiles(samples)


def through_adapter(url: str) -> tuple[float, float]:
    adapter = _adapter(url)
    adapter.load_markets()
    samples = []
    for i in range(N_LATENCY):
        request = OrderRequest("BTC/USDT", "buy", "market", Decimal("0.001"), f"a-{i}")
        start = time.perf_counter()
        adapter.create_order(request)
        samples.append(time.perf_counter() - start)
    return _percentiles(samples)


def storm() -> None:
    with FakeExchange(seed=12, record_requests=False) as fake:
        fake.set_fault_rates(
            "POST /api/v3/order", FaultRates(drop_after=0.2, error_after=0.05, error_before=0.05)
        )
        outcomes: dict[str, int] = {"placed": 0, "unknown": 0}
        lock = threading.Lock()

        def client(n: int) -> None:
            adapter = _adapter(fake.url)
            adapter.load_markets()
            for i in range(n, N_STORM, THREADS):
                request = OrderRequest("BTC/USDT", "buy", "market", Decimal("0.001"), f"s-{i}")
                try:
                    adapter.create_order(request)
                    kind = "placed"
                except errors.OrderOutcomeUnknownError:
                    kind = "unknown"
                with lock:
                    outcomes[kind] += 1

        start = time.perf_counter()
        threads = [threading.Thread(target=client, args=(n,)) for n in range(THREADS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        seconds = time.perf_counter() - start
        counts = fake.ledger.client_id_counts()
        print(
            f"storm: {N_STORM} orders in {seconds:.1f} s ({N_STORM / seconds:,.0f}/s, "
            f"{THREADS} threads); answered {outcomes['placed']}, unknown {outcomes['unknown']}; "
            f"ledger {len(counts)} accepted, {len(fake.ledger.duplicates())} duplicates "
            f"(reference: 0); expected accepted ~{int(N_STORM * 0.95)}"
        )


def main() -> None:
    with FakeExchange(record_requests=False) as fake:
        p50, p99 = bare_ccxt(fake.url)
        print(f"bare ccxt create_order x{N_LATENCY}: p50 {p50:.2f} ms, p99 {p99:.2f} ms")
        p50, p99 = through_adapter(fake.url)
        print(f"CcxtAdapter.create_order x{N_LATENCY}: p50 {p50:.2f} ms, p99 {p99:.2f} ms")
    storm()


if __name__ == "__main__":
    main()

"""A local fake of Binance's spot REST API on 127.0.0.1, serving candles from a CSV file.

Serves `/api/v3/exchangeInfo` and `/api/v3/klines` (startTime, endTime, limit up to 1000),
records every request with its arrival time, and can be told to misbehave: `faults` is a
list consumed one per klines request, each a dict such as `{"status": 429, "retry_after": 1}`,
`{"status": 503}`, `{"sleep": 2.0}` (a timeout for the client) or `{"truncate": True}`.
"""

from __future__ import annotations

import bisect
import csv
import json
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

INTERVAL_MS = {
    "1m": 60_000,
    "5m": 300_000,
    "15m": 900_000,
    "1h": 3_600_000,
    "4h": 14_400_000,
    "1d": 86_400_000,
}


def _symbol(name: str, base: str, quote: str) -> dict[str, Any]:
    return {
        "symbol": name,
        "status": "TRADING",
        "baseAsset": base,
        "baseAssetPrecision": 8,
        "quoteAsset": quote,
        "quotePrecision": 8,
        "quoteAssetPrecision": 8,
        "orderTypes": ["LIMIT", "MARKET"],
        "isSpotTradingAllowed": True,
        "isMarginTradingAllowed": False,
        "permissions": ["SPOT"],
        "permissionSets": [["SPOT"]],
        "filters": [
            {
                "filterType": "PRICE_FILTER",
                "minPrice": "0.01",
                "maxPrice": "1000000.00",
                "tickSize": "0.01",
            },
            {
                "filterType": "LOT_SIZE",
                "minQty": "0.00001",
                "maxQty": "9000.00000",
                "stepSize": "0.00001",
            },
            {
                "filterType": "NOTIONAL",
                "minNotional": "5.00",
                "applyMinToMarket": True,
                "maxNotional": "9000000.00",
                "applyMaxToMarket": False,
                "avgPriceMins": 5,
            },
        ],
    }


EXCHANGE_INFO = {
    "timezone": "UTC",
    "serverTime": 1_700_000_000_000,
    "rateLimits": [],
    "exchangeFilters": [],
    "symbols": [_symbol("BTCUSDT", "BTC", "USDT"), _symbol("ETHUSDT", "ETH", "USDT")],
}


@dataclass
class Request:
    at: float
    path: str
    query: dict[str, str]


class FakeBinance:
    def __init__(self, csv_path: Path, symbol: str = "BTCUSDT") -> None:
        self.symbol = symbol
        self.times: list[int] = []
        self.rows: list[list[str]] = []
        with open(csv_path, newline="") as f:
            for row in csv.reader(f):
                if row[0] == "timestamp_ms":
                    continue
                self.times.append(int(row[0]))
                self.rows.append(row)
        self.requests: list[Request] = []
        self.faults: list[dict[str, Any]] = []
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> FakeBinance:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def klines_requests(self) -> list[Request]:
        return [r for r in self.requests if r.path == "/api/v3/klines"]

    def klines(self, query: dict[str, str]) -> list[list[Any]]:
        step = INTERVAL_MS[query["interval"]]
        limit = min(int(query.get("limit", 500)), 1000)
        start = int(query.get("startTime", 0))
        end = int(query.get("endTime", 2**62))
        i = bisect.bisect_left(self.times, start)
        out: list[list[Any]] = []
        while i < len(self.times) and self.times[i] <= end and len(out) < limit:
            t, o, h, lo, c, v = self.rows[i]
            ts = int(t)
            out.append([ts, o, h, lo, c, v, ts + step - 1, "0", 0, "0", "0", "0"])
            i += 1
        return out

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                return None

            def _send(
                self,
                status: int,
                body: bytes,
                headers: dict[str, str] | None = None,
                length: int | None = None,
            ) -> None:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(length if length is not None else len(body)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(body)
                self.wfile.flush()

            def do_GET(self) -> None:
                parsed = urlparse(self.path)
                query = {k: v[-1] for k, v in parse_qs(parsed.query).items()}
                with fake.lock:
                    fake.requests.append(Request(time.monotonic(), parsed.path, query))
                    fault = (
                        fake.faults.pop(0)
                        if parsed.path == "/api/v3/klines" and fake.faults
                        else None
                    )
                if parsed.path == "/api/v3/exchangeInfo":
                    self._send(200, json.dumps(EXCHANGE_INFO).encode())
                    return
                if parsed.path != "/api/v3/klines":
                    self._send(404, b'{"code": -1, "msg": "not found"}')
                    return
                if query.get("symbol") != fake.symbol:
                    self._send(400, b'{"code": -1121, "msg": "Invalid symbol."}')
                    return
                if fault and "sleep" in fault:
                    time.sleep(fault["sleep"])
                body = json.dumps(fake.klines(query)).encode()
                if fault and "status" in fault:
                    headers = {}
                    if "retry_after" in fault:
                        headers["Retry-After"] = str(fault["retry_after"])
                    payload = fault.get("body", {"code": -1003, "msg": "Too many requests."})
                    raw = (
                        payload.encode()
                        if isinstance(payload, str)
                        else json.dumps(payload).encode()
                    )
                    self._send(fault["status"], raw, headers)
                    return
                if fault and fault.get("truncate"):
                    self._send(200, body[: len(body) // 2], length=len(body))
                    self.close_connection = True
                    return
                self._send(200, body)

        return Handler

"""The adapter factory against the real markets factory and a fake Binance on 127.0.0.1.

Skipped until `markets.core.factory` exists (it lands with the markets branch). Binance
reports key permissions at GET /sapi/v1/account/apiRestrictions.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest

from accounts.models import ExchangeAccount
from accounts.services import exchange_account_adapter, exchange_account_create
from markets.tests.factories import ExchangeFactory

pytest.importorskip("markets.core.factory")

SAFE: dict[str, object] = {
    "ipRestrict": True,
    "createTime": 1_700_000_000_000,
    "enableReading": True,
    "enableSpotAndMarginTrading": True,
    "enableWithdrawals": False,
    "enableInternalTransfer": False,
    "permitsUniversalTransfer": False,
    "enableMargin": False,
    "enableFutures": False,
    "enableVanillaOptions": False,
}


class FakeBinance:
    def __init__(self) -> None:
        self.restrictions = dict(SAFE)
        self.status = 200
        self.seen_keys: list[str] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                fake.seen_keys.append(self.headers.get("X-MBX-APIKEY", ""))
                path = urlsplit(self.path).path
                if path == "/sapi/v1/account/apiRestrictions":
                    body = (
                        fake.restrictions
                        if fake.status == 200
                        else {
                            "code": -2015,
                            "msg": "Invalid API-key, IP, or permissions for action.",
                        }
                    )
                    self._send(fake.status, body)
                elif path == "/api/v3/time":
                    self._send(200, {"serverTime": 1_700_000_000_000})
                else:
                    self._send(404, {"code": -1, "msg": "not faked"})

            def _send(self, status: int, body: dict[str, object]) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def fake_binance(db):
    fake = FakeBinance()
    ExchangeFactory(ccxt_id="binance", api_base_url=fake.url)
    yield fake
    fake.close()


def _create(owner, creds, mode="live"):
    return exchange_account_create(
        owner=owner, exchange_id="binance", label="main", mode=mode, **creds
    )


def test_real_factory_safe_key_is_stored_and_adapter_carries_it(alice, fake_binance, creds):
    account = _create(alice, creds)

    adapter = exchange_account_adapter(account_id=account.pk, owner_id=alice.pk)
    permissions = adapter.fetch_key_permissions()
    adapter.close()

    assert account.ip_restricted is True
    assert account.can_withdraw is False
    assert permissions.known
    assert permissions.can_trade
    assert creds["api_key"] in fake_binance.seen_keys


@pytest.mark.parametrize(
    "change",
    [{"enableWithdrawals": True}, {"permitsUniversalTransfer": True}, {"ipRestrict": False}],
)
def test_real_factory_risky_key_is_refused_and_not_stored(alice, fake_binance, creds, change):
    from accounts.services import CredentialsRefusedError

    fake_binance.restrictions.update(change)

    with pytest.raises(CredentialsRefusedError):
        _create(alice, creds)

    assert ExchangeAccount.objects.count() == 0


def test_real_factory_rejected_key_is_an_auth_failure(alice, fake_binance, creds):
    from accounts.services import CredentialsRefusedError

    fake_binance.status = 401

    with pytest.raises(CredentialsRefusedError) as caught:
        _create(alice, creds)

    assert caught.value.code in ("credentials_refused", "key_permission_denied")
    assert caught.value.field == "api_key"

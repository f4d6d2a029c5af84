"""Envelope encryption cost: seal, open and re-wrap of one exchange account's credentials."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from accounts.core import crypto

KEYRING = [("k2", os.urandom(32)), ("k1", os.urandom(32))]
FIELDS = {"api_key": "A" * 64, "secret": "S" * 64, "passphrase": "pass phrase 123"}
N = 5000


def main() -> None:
    record = crypto.RecordIdentity(owner_id=1, account_id=1)
    start = time.perf_counter()
    sealed = [crypto.seal(keyring=KEYRING[1:], record=record, fields=FIELDS) for _ in range(N)]
    seal_s = time.perf_counter() - start
    start = time.perf_counter()
    for s in sealed:
        crypto.open_fields(
            keyring=KEYRING, record=record, wrapped_key=s.wrapped_key, fields=s.fields
        )
    open_s = time.perf_counter() - start
    start = time.perf_counter()
    for s in sealed:
        crypto.rewrap(keyring=KEYRING, record=record, wrapped_key=s.wrapped_key, fields=s.fields)
    rewrap_s = time.perf_counter() - start
    print(f"records: {N} (3 fields each)")
    print(f"seal:   {seal_s / N * 1e6:8.1f} us/record  ({N / seal_s:,.0f} records/s)")
    print(f"open:   {open_s / N * 1e6:8.1f} us/record  ({N / open_s:,.0f} records/s)")
    print(f"rewrap: {rewrap_s / N * 1e6:8.1f} us/record  ({N / rewrap_s:,.0f} records/s)")


if __name__ == "__main__":
    main()

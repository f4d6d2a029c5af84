"""Fixtures shared by the wiring tests."""

import asyncio

import pytest


@pytest.fixture
async def dispatcher():
    """An outbox dispatcher on this event loop, as the web process runs one."""
    from markets.stream import dispatch_forever

    stop = asyncio.Event()
    task = asyncio.create_task(dispatch_forever(interval=0.02, stop=stop))
    yield
    stop.set()
    await task

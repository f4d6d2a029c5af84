from __future__ import annotations

import pytest

from accounts.tests.notify_fakes import Receiver


@pytest.fixture
def receiver():
    fake = Receiver().start()
    yield fake
    fake.stop()


@pytest.fixture
def deliver_now(settings, django_capture_on_commit_callbacks):
    """Run deliveries inline as their transactions commit (retries without waiting)."""
    from accounts.tasks import notification_deliver_task

    app = notification_deliver_task.app

    settings.NOTIFY_ALLOW_PRIVATE_TARGETS = True
    settings.NOTIFY_RETRY_BASE_SECONDS = 0
    settings.NOTIFY_HTTP_TIMEOUT = 3
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True

    def run():
        return django_capture_on_commit_callbacks(execute=True)

    yield run
    app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _local_targets(settings):
    """The fakes listen on 127.0.0.1, which production refuses as a webhook target."""
    settings.NOTIFY_ALLOW_PRIVATE_TARGETS = True

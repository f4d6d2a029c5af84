"""Staff turn the global kill switch on in the admin, through the audited service."""

from __future__ import annotations

from django.test import Client

from accounts.models import AuditEvent
from trading.models import KillSwitch


def test_admin_global_kill_switch_on_is_audited(alice):
    alice.is_staff = True
    alice.is_superuser = True
    alice.save()
    client = Client()
    client.force_login(alice)
    response = client.post(
        "/admin/trading/killswitch/add/",
        {"scope": "global", "active": "on", "reason": "exchange incident"},
    )
    assert response.status_code == 302, response.content[:500]
    switch = KillSwitch.objects.get(scope="global")
    assert switch.active
    assert switch.changed_by == alice
    assert AuditEvent.objects.filter(action=AuditEvent.Action.KILL_SWITCH).count() == 1

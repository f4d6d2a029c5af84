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


def test_admin_alert_pages_show_the_secret_masked_and_the_log_read_only(
    alice, market, canary, canary_sweep
):
    from decimal import Decimal

    from trading.alerts.services import hook_configure
    from trading.bots.services import bot_create
    from trading.models import AlertReceipt

    alice.is_staff = True
    alice.is_superuser = True
    alice.save()
    bot = bot_create(
        owner=alice,
        name="tv",
        market_id=market.pk,
        timeframe="1h",
        strategy="rule",
        rule_name="sma_cross",
        rule_params={"fast": 2, "slow": 5},
        capital=Decimal("1000"),
    )
    hook, secret = hook_configure(bot=bot, changes={"allowed_addresses": ["203.0.113.0/24"]})
    canary_sweep.register(secret)
    receipt = AlertReceipt.objects.create(
        hook=hook, alert_id="tv-1", reason="wrong_secret", message="The secret does not match."
    )
    client = Client()
    client.force_login(alice)
    for path in (
        "/admin/trading/alerthook/",
        f"/admin/trading/alerthook/{hook.pk}/change/",
        "/admin/trading/alertreceipt/",
        f"/admin/trading/alertreceipt/{receipt.pk}/change/",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.content.decode()
        assert hook.secret_digest not in html
    page = client.get(f"/admin/trading/alerthook/{hook.pk}/change/").content.decode()
    assert "\u2022\u2022\u2022\u2022" + secret[-4:] in page
    assert "wrong_secret" in client.get("/admin/trading/alertreceipt/").content.decode()
    assert client.get("/admin/trading/alertreceipt/add/").status_code == 403

"""Fill AuditEvent.subject for events recorded before it existed."""

from django.db import migrations


def backfill(apps, schema_editor):
    AuditEvent = apps.get_model("accounts", "AuditEvent")
    ExchangeAccount = apps.get_model("accounts", "ExchangeAccount")
    User = apps.get_model("accounts", "User")
    users = set(User.objects.values_list("pk", flat=True))
    owners = dict(ExchangeAccount.objects.values_list("pk", "owner_id"))
    for event in AuditEvent.objects.filter(subject__isnull=True).iterator():
        subject = None
        if event.target_type == "accounts.user" and event.target_id.isdigit():
            subject = int(event.target_id)
        elif event.target_type == "accounts.exchangeaccount":
            owner = (event.details or {}).get("owner_id")
            if event.target_id.isdigit():
                owner = owners.get(int(event.target_id), owner)
            subject = owner if isinstance(owner, int) else None
        if subject is None:
            subject = event.actor_id
        if subject in users:
            AuditEvent.objects.filter(pk=event.pk).update(subject_id=subject)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_security_sign_ins_audit_subject")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]

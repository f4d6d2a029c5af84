from django.db import migrations, models


class Migration(migrations.Migration):
    """Leases of "one run at a time" locks for deployments without Redis (markets/locks.py)."""

    dependencies = [
        ("markets", "0003_market_listing_verified"),
    ]

    operations = [
        migrations.CreateModel(
            name="TaskLease",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=200, unique=True)),
                ("token", models.CharField(max_length=64)),
                ("expires_at", models.DateTimeField()),
            ],
        ),
    ]

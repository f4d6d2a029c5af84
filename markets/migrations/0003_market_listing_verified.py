from django.db import migrations, models

LISTING_HELP = (
    "The limits and precision come from the exchange's own listing. False for a market created "
    "offline (a CSV import): its limits are unknown and it cannot trade."
)


class Migration(migrations.Migration):
    """Markets learn whether their limits come from the exchange's listing.

    Every market stored so far was created from a listing, so existing rows start verified;
    the default for new rows is unverified (a market created any other way must be checked).
    """

    dependencies = [
        ("markets", "0002_market_last_ingested_at"),
    ]

    operations = [
        migrations.AddField(
            model_name="market",
            name="listing_checked_at",
            field=models.DateTimeField(
                blank=True, help_text="When the exchange's listing was last read.", null=True
            ),
        ),
        migrations.AddField(
            model_name="market",
            name="listing_verified",
            field=models.BooleanField(default=True, help_text=LISTING_HELP),
        ),
        migrations.AlterField(
            model_name="market",
            name="listing_verified",
            field=models.BooleanField(default=False, help_text=LISTING_HELP),
        ),
    ]

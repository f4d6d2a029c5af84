import django.db.models.deletion
from django.db import migrations, models


def forget_unsequenced_events(apps, schema_editor):
    # Rows written before sequences existed were only waiting for a relay; they cannot be
    # replayed in order, so they go (they are at most an hour old by the old retention).
    apps.get_model("markets", "StreamEvent").objects.all().delete()


class Migration(migrations.Migration):
    """The stream outbox gets per-topic sequence numbers and dispatcher cursors."""

    dependencies = [
        ("markets", "0004_tasklease"),
    ]

    operations = [
        migrations.RunPython(forget_unsequenced_events, migrations.RunPython.noop),
        migrations.CreateModel(
            name="StreamTopic",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=100, unique=True)),
                ("last_sequence", models.BigIntegerField(default=0)),
            ],
        ),
        migrations.CreateModel(
            name="StreamCursor",
            fields=[
                (
                    "topic",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="cursor",
                        serialize=False,
                        to="markets.streamtopic",
                    ),
                ),
                ("dispatched_sequence", models.BigIntegerField(default=0)),
                ("dispatched_at", models.DateTimeField(blank=True, null=True)),
            ],
        ),
        migrations.AddField(
            model_name="streamevent",
            name="sequence",
            field=models.BigIntegerField(default=0),
            preserve_default=False,
        ),
        migrations.AddConstraint(
            model_name="streamevent",
            constraint=models.UniqueConstraint(
                fields=("group", "sequence"), name="stream_event_topic_seq"
            ),
        ),
    ]

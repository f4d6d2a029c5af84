from django.db import migrations, models

# A deferred constraint trigger numbers a transaction's stream events when it commits: the
# first of its rows to be checked numbers all of them, topic by topic in name order, so two
# transactions publishing the same topics in different orders lock the topic rows in the same
# order (no deadlock), and each topic's numbers follow commit order without gaps.
NUMBER_AT_COMMIT = """
CREATE OR REPLACE FUNCTION markets_stream_number_at_commit() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    pending record;
    v_topic bigint;
    v_last bigint;
BEGIN
    -- Unnumbered rows visible here are this transaction's own: others' are not committed
    -- (invisible), and every committed row was numbered before its commit.
    FOR pending IN
        SELECT "group" AS name, count(*) AS n FROM markets_streamevent
        WHERE sequence IS NULL GROUP BY "group" ORDER BY "group"
    LOOP
        INSERT INTO markets_streamtopic AS t (name, last_sequence)
        VALUES (pending.name, pending.n)
        ON CONFLICT (name) DO UPDATE SET last_sequence = t.last_sequence + excluded.last_sequence
        RETURNING t.id, t.last_sequence INTO v_topic, v_last;
        IF v_last = pending.n THEN
            INSERT INTO markets_streamcursor (topic_id, dispatched_sequence)
            VALUES (v_topic, 0) ON CONFLICT DO NOTHING;
        END IF;
        UPDATE markets_streamevent AS e
        SET sequence = numbered.seq,
            message = jsonb_set(e.message, '{seq}', to_jsonb(numbered.seq))
        FROM (
            SELECT id, v_last - pending.n + row_number() OVER (ORDER BY id) AS seq
            FROM markets_streamevent WHERE sequence IS NULL AND "group" = pending.name
        ) AS numbered
        WHERE e.id = numbered.id;
    END LOOP;
    RETURN NULL;
END
$$;
CREATE INDEX markets_streamevent_unnumbered ON markets_streamevent (id) WHERE sequence IS NULL;
CREATE CONSTRAINT TRIGGER stream_event_number_at_commit
AFTER INSERT ON markets_streamevent
DEFERRABLE INITIALLY DEFERRED
FOR EACH ROW EXECUTE FUNCTION markets_stream_number_at_commit();
"""

DROP = """
DROP TRIGGER IF EXISTS stream_event_number_at_commit ON markets_streamevent;
DROP INDEX IF EXISTS markets_streamevent_unnumbered;
DROP FUNCTION IF EXISTS markets_stream_number_at_commit();
"""


def number_at_commit(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(NUMBER_AT_COMMIT)


def drop_number_at_commit(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    """Stream events are numbered when their transaction commits (PostgreSQL)."""

    dependencies = [
        ("markets", "0005_stream_outbox_sequences"),
    ]

    operations = [
        migrations.AlterField(
            model_name="streamevent",
            name="sequence",
            field=models.BigIntegerField(null=True),
        ),
        migrations.RunPython(number_at_commit, drop_number_at_commit),
    ]

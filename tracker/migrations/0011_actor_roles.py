"""ActorRole: Item.made_by and Item.addressed_to in one (actor, item, role) table, kept by triggers.

The two join tables stay the source of truth (forms, admin, history, API writes use them); triggers
on both copy every insert, update and delete into tracker_actorrole in the same statement, on
PostgreSQL (statement-level, with transition tables, so a COPY of many rows is one INSERT ... SELECT)
and on SQLite (row-level). The existing rows are copied once here.
"""

from django.db import migrations, models

JOIN_TABLES = (("tracker_item_made_by", "made_by"), ("tracker_item_addressed_to", "addressed_to"))

PG_FUNCTION = """
CREATE FUNCTION tracker_actor_role_sync() RETURNS trigger AS $$
BEGIN
    -- TG_ARGV[0]: the role of the join table the trigger is on.
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        DELETE FROM tracker_actorrole r USING old_rows o
        WHERE r.actor_id = o.actor_id AND r.item_id = o.item_id AND r.role = TG_ARGV[0];
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO tracker_actorrole (actor_id, item_id, role)
        SELECT actor_id, item_id, TG_ARGV[0] FROM new_rows
        ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql
"""

PG_REFERENCING = {
    "INSERT": "REFERENCING NEW TABLE AS new_rows",
    "DELETE": "REFERENCING OLD TABLE AS old_rows",
    "UPDATE": "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
}


def _pg_forward(schema_editor):
    schema_editor.execute(PG_FUNCTION)
    for table, role in JOIN_TABLES:
        for event, referencing in PG_REFERENCING.items():
            schema_editor.execute(
                f"CREATE TRIGGER {table}_role_{event.lower()} AFTER {event} ON {table} {referencing} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION tracker_actor_role_sync('{role}')"
            )


def _sqlite_forward(schema_editor):
    for table, role in JOIN_TABLES:
        insert = (
            f"INSERT OR IGNORE INTO tracker_actorrole (actor_id, item_id, role) "
            f"VALUES (NEW.actor_id, NEW.item_id, '{role}');"
        )
        delete = (
            f"DELETE FROM tracker_actorrole WHERE actor_id = OLD.actor_id AND item_id = OLD.item_id "
            f"AND role = '{role}';"
        )
        schema_editor.execute(f"CREATE TRIGGER {table}_role_insert AFTER INSERT ON {table} BEGIN {insert} END")
        schema_editor.execute(f"CREATE TRIGGER {table}_role_delete AFTER DELETE ON {table} BEGIN {delete} END")
        schema_editor.execute(
            f"CREATE TRIGGER {table}_role_update AFTER UPDATE ON {table} BEGIN {delete} {insert} END"
        )


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        _pg_forward(schema_editor)
    else:
        _sqlite_forward(schema_editor)
    for table, role in JOIN_TABLES:
        schema_editor.execute(
            f"INSERT INTO tracker_actorrole (actor_id, item_id, role) SELECT actor_id, item_id, '{role}' FROM {table}"  # noqa: S608
        )
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ANALYZE tracker_actorrole")


def backward(apps, schema_editor):
    for table, _role in JOIN_TABLES:
        for event in PG_REFERENCING:
            if schema_editor.connection.vendor == "postgresql":
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_role_{event.lower()} ON {table}")
            else:
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_role_{event.lower()}")
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS tracker_actor_role_sync()")


class Migration(migrations.Migration):
    dependencies = [("tracker", "0010_extraction_explanation_and_theme_descriptors")]

    operations = [
        migrations.CreateModel(
            name="ActorRole",
            fields=[
                (
                    "pk",
                    models.CompositePrimaryKey(
                        "actor", "item", "role", blank=True, editable=False, primary_key=True, serialize=False
                    ),
                ),
                (
                    "role",
                    models.CharField(
                        choices=[("made_by", "made by"), ("addressed_to", "addressed to")], max_length=12
                    ),
                ),
                (
                    "actor",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=models.deletion.DO_NOTHING,
                        related_name="+",
                        to="tracker.actor",
                    ),
                ),
                (
                    "item",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=models.deletion.DO_NOTHING,
                        related_name="+",
                        to="tracker.item",
                    ),
                ),
            ],
            options={"indexes": [models.Index(fields=["item", "actor"], name="actor_role_item_actor_idx")]},
        ),
        migrations.RunPython(forward, backward),
    ]

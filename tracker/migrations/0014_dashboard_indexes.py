"""Dashboard indexes: the newest status updates by (created_at, id), and, for the chart over time at
scale, the facet sample's items (id a multiple of 128) and their status updates with the columns the
chart (and the facets' estimate) read (PostgreSQL: INCLUDE, so both are read from the index alone; SQLite: the keys only)."""

from django.db import migrations, models

SAMPLE_INDEXES = {
    "postgresql": [
        "CREATE INDEX status_update_sample_idx ON tracker_statusupdate (item_id) "
        "INCLUDE (status, assessed_on, created_at, id) WHERE (item_id % 128) = 0",
        # The facet recount's columns too (tracker.facets): its sampled items are read from the index.
        "CREATE INDEX item_history_sample_idx ON tracker_item (id) INCLUDE (date, status, kind, document_id) "
        "WHERE (id % 128) = 0",
    ],
    "sqlite": ["CREATE INDEX status_update_sample_idx ON tracker_statusupdate (item_id) WHERE (item_id % 128) = 0"],
}


def create(apps, schema_editor):
    for sql in SAMPLE_INDEXES.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql, None)  # None: no placeholders ("%" is the modulo)


def drop(apps, schema_editor):
    for name in ("status_update_sample_idx", "item_history_sample_idx"):
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("tracker", "0013_facet_sample_index")]

    operations = [
        migrations.RemoveIndex(model_name="statusupdate", name="status_update_created_idx"),
        migrations.AddIndex(
            model_name="statusupdate",
            index=models.Index(fields=["-created_at", "-id"], name="status_update_created_idx"),
        ),
        migrations.RunPython(create, drop),
    ]

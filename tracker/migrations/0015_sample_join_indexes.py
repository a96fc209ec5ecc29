"""The facet sample's rows of the two join tables the estimate reads (tracker.facets): the sampled items'
(item, theme) and (item, actor) pairs in two small partial indexes (about 8,000 items' pairs at 1,000,000
items), read from the index alone, instead of one probe per sampled item into the full join-table indexes
(at 1,000,000 items a cold "trade" search spent 0.2 s on each, a popular actor's sample 0.5 s).

PostgreSQL: the sample's plain index (0013) goes, as the covering one of 0014 (same key, same predicate)
does its work: the planner preferred the narrower one and then read each sampled row from the table.
PostgreSQL, the kept counts (ItemCount, 0012): the two slices the dashboard and the actor and theme lists
sum, every actor's counts (no theme, no document) and every theme's (no actor, no document), in two small
covering partial indexes: their rows were spread over the table's pages (4,500 rows of one role on 2,719
pages: 0.24 s cold at 1,000,000 items) and are now read from the index alone (about 40 pages).

New or dropped indexes only: no table is rebuilt."""

from django.db import migrations

INDEXES = {
    "item_themes_sample_idx": "tracker_item_themes (item_id, theme_id)",
    "actor_role_sample_idx": "tracker_actorrole (item_id, actor_id)",
}
COUNT_SLICES = {
    "item_count_actor_slice_idx": "(role, actor_id) INCLUDE (status, kind, n) WHERE theme_id = 0 AND document_id = 0",
    "item_count_theme_slice_idx": "(role, theme_id) INCLUDE (status, kind, n) WHERE actor_id = 0 AND document_id = 0",
}
PLAIN_SAMPLE_INDEX = "CREATE INDEX IF NOT EXISTS item_facet_sample_idx ON tracker_item (id) WHERE (id % 128) = 0"


def create(apps, schema_editor):
    for name, columns in INDEXES.items():
        # None: no placeholders ("%" is the modulo)
        schema_editor.execute(f"CREATE INDEX {name} ON {columns} WHERE (item_id % 128) = 0", None)
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS item_facet_sample_idx")
        for name, definition in COUNT_SLICES.items():
            schema_editor.execute(f"CREATE INDEX {name} ON tracker_itemcount {definition}")


def drop(apps, schema_editor):
    for name in (*INDEXES, *COUNT_SLICES):
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PLAIN_SAMPLE_INDEX, None)


class Migration(migrations.Migration):
    dependencies = [("tracker", "0014_dashboard_indexes")]

    operations = [migrations.RunPython(create, drop)]

"""Indexes Django cannot declare on the models.

- Composite (actor, item) / (theme, item) indexes on the auto-created join tables, so "items of
  actor A (and theme T), ordered by id" walks one index in id order (both databases).
- On PostgreSQL: a trigger keeps Item.search_vector up to date and a GIN index serves full-text
  search. A stored column, not an expression index: see ../shared/PERF-NOTES.md.
"""

from django.db import migrations

JOIN_INDEXES = [
    ("tracker_item_made_by", "item_made_by_actor_item_idx", "actor_id, item_id"),
    ("tracker_item_addressed_to", "item_addressed_to_actor_item_idx", "actor_id, item_id"),
    ("tracker_item_themes", "item_themes_theme_item_idx", "theme_id, item_id"),
]

PG_FORWARD = [
    """
    CREATE FUNCTION tracker_item_search_vector_update() RETURNS trigger AS $$
    BEGIN
        NEW.search_vector :=
            setweight(to_tsvector('pg_catalog.english', coalesce(NEW.reference, '')), 'A') ||
            setweight(to_tsvector('pg_catalog.english', coalesce(NEW.title, '')), 'A') ||
            setweight(to_tsvector('pg_catalog.english', coalesce(NEW.text, '')), 'B');
        RETURN NEW;
    END
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER tracker_item_search_vector_trigger
    BEFORE INSERT OR UPDATE OF reference, title, text ON tracker_item
    FOR EACH ROW EXECUTE FUNCTION tracker_item_search_vector_update()
    """,
    "UPDATE tracker_item SET title = title",
    "CREATE INDEX item_search_vector_gin_idx ON tracker_item USING gin (search_vector)",
]

PG_BACKWARD = [
    "DROP INDEX IF EXISTS item_search_vector_gin_idx",
    "DROP TRIGGER IF EXISTS tracker_item_search_vector_trigger ON tracker_item",
    "DROP FUNCTION IF EXISTS tracker_item_search_vector_update()",
]


def forward(apps, schema_editor):
    for table, name, columns in JOIN_INDEXES:
        schema_editor.execute(f"CREATE INDEX {name} ON {table} ({columns})")
    if schema_editor.connection.vendor == "postgresql":
        for statement in PG_FORWARD:
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in PG_BACKWARD:
            schema_editor.execute(statement)
    for _table, name, _columns in JOIN_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("tracker", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]

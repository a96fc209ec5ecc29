"""Item counts kept by the database (ItemCount) and a data version (DataVersion), both kept by triggers.

- `tracker_item_count_recount`, a view (PostgreSQL and SQLite): the rows ItemCount holds, counted from
  the tables; since then kept by tracker.recount_view after every migrate, from tracker/sql/. SQLite reads it directly (no count triggers there: a development database is small);
  PostgreSQL fills the table from it here and after bulk loads, and a test compares the two.
- PostgreSQL: statement-level triggers on items and their three join tables add the new and subtract
  the old combinations of the items a statement touched, in that statement. The old state comes from the
  transition tables (old = current - inserted + deleted rows). With `SET tracker.counts_deferred = on`
  (the synthetic bulk load) they do nothing and the caller runs tracker_item_counts_rebuild(). A change of
  the theme tree (a theme's path) rebuilds the table.
- DataVersion: one row, bumped by every writing statement (PostgreSQL; every written row on SQLite), so
  a transaction reading its own writes sees a new number too. The row stays locked until the writing
  transaction commits, so writing transactions take turns; other sessions see the new number when the
  data is committed.
"""

from django.db import migrations, models

THEME_CLOSURE = """
    SELECT DISTINCT t.item_id, anc.id AS theme_id
    FROM {themes} t
    JOIN tracker_theme th ON th.id = t.theme_id
    JOIN tracker_theme anc ON (anc.path = th.path OR substr(th.path, 1, length(anc.path) + 1) = anc.path || '/')
"""


def keys_sql(items, themes, made, addressed, sign="1"):
    """Every ItemCount row's contribution from the items `items` (item_id, status, kind, document_id) with
    their `themes` (item_id, theme_id), `made` and `addressed` (item_id, actor_id) rows."""
    return f"""
    SELECT i.status, i.kind, 0 AS document_id, td.theme_id, ar.actor_id, ar.role, {sign} * COUNT(*) AS n
    FROM {items} i
    JOIN ({THEME_CLOSURE.format(themes=themes)} UNION ALL SELECT item_id, 0 FROM {items}) td
      ON td.item_id = i.item_id
    JOIN (
        SELECT item_id, actor_id, 'made_by' AS role FROM {made}
        UNION ALL SELECT item_id, actor_id, 'addressed_to' FROM {addressed}
        UNION ALL SELECT DISTINCT item_id, actor_id, 'any'
                  FROM (SELECT item_id, actor_id FROM {made} UNION ALL SELECT item_id, actor_id FROM {addressed}) both_roles
        UNION ALL SELECT item_id, 0, '' FROM {items}
    ) ar ON ar.item_id = i.item_id
    GROUP BY i.status, i.kind, td.theme_id, ar.actor_id, ar.role
    UNION ALL
    SELECT status, kind, document_id, 0, 0, '', {sign} * COUNT(*) FROM {items} GROUP BY status, kind, document_id
    """


RECOUNT_VIEW = f"""
CREATE VIEW tracker_item_count_recount AS
WITH items AS (SELECT id AS item_id, status, kind, document_id FROM tracker_item)
SELECT status, kind, document_id, theme_id, actor_id, role, n FROM (
    {keys_sql("items", "tracker_item_themes", "tracker_item_made_by", "tracker_item_addressed_to")}
) counts
"""

REBUILD_FUNCTION = """
CREATE FUNCTION tracker_item_counts_rebuild() RETURNS void AS $$
BEGIN
    LOCK TABLE tracker_itemcount IN EXCLUSIVE MODE;
    DELETE FROM tracker_itemcount;
    INSERT INTO tracker_itemcount (status, kind, document_id, theme_id, actor_id, role, n)
    SELECT status, kind, document_id, theme_id, actor_id, role, n FROM tracker_item_count_recount;
END
$$ LANGUAGE plpgsql
"""

# The triggered table's old rows: current ones less the statement's inserted rows plus its deleted rows.
OLD_ROWS = {
    "INSERT": "(SELECT {cols} FROM {current} EXCEPT ALL SELECT {cols} FROM new_rows)",
    "DELETE": "(SELECT {cols} FROM {current} UNION ALL SELECT {cols} FROM old_rows)",
    "UPDATE": "(SELECT {cols} FROM {current} EXCEPT ALL SELECT {cols} FROM new_rows "
    "UNION ALL SELECT {cols} FROM old_rows)",
}
TRANSITION = {
    "INSERT": "REFERENCING NEW TABLE AS new_rows",
    "DELETE": "REFERENCING OLD TABLE AS old_rows",
    "UPDATE": "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
}
JOIN_TABLES = {
    "tracker_item_themes": ("themes", "item_id, theme_id"),
    "tracker_item_made_by": ("made", "item_id, actor_id"),
    "tracker_item_addressed_to": ("addressed", "item_id, actor_id"),
}
ITEM_COLS = "item_id, status, kind, document_id"


def _delta_function(table: str, event: str) -> tuple[str, str]:
    """The trigger function for one (table, event): its name and CREATE statement."""
    name = f"tracker_counts_{table.removeprefix('tracker_')}_{event.lower()}"
    item_rows = "SELECT id AS item_id, status, kind, document_id FROM {rows}"
    if table == "tracker_item":
        changed = {
            "INSERT": "SELECT id AS item_id FROM new_rows",
            "DELETE": "SELECT id AS item_id FROM old_rows",
            # Only items whose counted columns changed (an edited title changes no count).
            "UPDATE": "SELECT o.id FROM old_rows o JOIN new_rows n ON n.id = o.id "
            "WHERE (o.status, o.kind, o.document_id) IS DISTINCT FROM (n.status, n.kind, n.document_id)",
        }[event]
    else:
        sources = {"INSERT": ["new_rows"], "DELETE": ["old_rows"], "UPDATE": ["old_rows", "new_rows"]}[event]
        changed = " UNION ".join(f"SELECT item_id FROM {source}" for source in sources)
    ctes = [
        f"affected AS ({changed})",
        "items_new AS (SELECT i.id AS item_id, i.status, i.kind, i.document_id "
        "FROM tracker_item i WHERE i.id IN (SELECT * FROM affected))",
    ]
    for join_table, (alias, cols) in JOIN_TABLES.items():
        ctes.append(f"{alias}_new AS (SELECT {cols} FROM {join_table} WHERE item_id IN (SELECT * FROM affected))")
    old = {"items": "items_new", "themes": "themes_new", "made": "made_new", "addressed": "addressed_new"}
    if table == "tracker_item":
        transition = {
            "INSERT": f"(SELECT {ITEM_COLS} FROM items_new EXCEPT ALL {item_rows.format(rows='new_rows')})",
            "DELETE": f"(SELECT {ITEM_COLS} FROM items_new UNION ALL {item_rows.format(rows='old_rows')})",
            "UPDATE": f"(SELECT {ITEM_COLS} FROM items_new EXCEPT ALL {item_rows.format(rows='new_rows')} "
            f"UNION ALL {item_rows.format(rows='old_rows')})",
        }[event]
        ctes.append(f"items_old AS (SELECT * FROM {transition} o WHERE o.item_id IN (SELECT * FROM affected))")
        old["items"] = "items_old"
    else:
        alias, cols = JOIN_TABLES[table]
        ctes.append(f"{alias}_old AS {OLD_ROWS[event].format(cols=cols, current=f'{alias}_new')}")
        old[alias] = f"{alias}_old"
    new_keys = keys_sql("items_new", "themes_new", "made_new", "addressed_new")
    old_keys = keys_sql(old["items"], old["themes"], old["made"], old["addressed"], sign="-1")
    body = f"""
    CREATE FUNCTION {name}() RETURNS trigger AS $$
    BEGIN
        IF current_setting('tracker.counts_deferred', true) = 'on' THEN
            RETURN NULL;
        END IF;
        WITH {", ".join(ctes)},
        delta AS (
            SELECT status, kind, document_id, theme_id, actor_id, role, SUM(n) AS n
            FROM ({new_keys} UNION ALL {old_keys}) keys
            GROUP BY status, kind, document_id, theme_id, actor_id, role
            HAVING SUM(n) <> 0
        )
        INSERT INTO tracker_itemcount AS c (status, kind, document_id, theme_id, actor_id, role, n)
        SELECT * FROM delta ORDER BY status, kind, document_id, theme_id, actor_id, role
        ON CONFLICT (status, kind, document_id, theme_id, actor_id, role) DO UPDATE SET n = c.n + EXCLUDED.n;
        RETURN NULL;
    END
    $$ LANGUAGE plpgsql
    """
    return name, body


VERSIONED_TABLES = (
    "tracker_item",
    "tracker_item_made_by",
    "tracker_item_addressed_to",
    "tracker_item_themes",
    "tracker_statusupdate",
    "tracker_citation",
    "tracker_itemlink",
    "tracker_document",
    "tracker_section",
    "tracker_actor",
    "tracker_theme",
)

PG_VERSION_FUNCTION = """
CREATE FUNCTION tracker_data_version_bump() RETURNS trigger AS $$
BEGIN
    -- An upsert, so a flushed table (tests, `manage.py flush`) starts counting again.
    INSERT INTO tracker_dataversion (id, n) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET n = tracker_dataversion.n + 1;
    RETURN NULL;
END
$$ LANGUAGE plpgsql
"""

PG_THEME_TREE_FUNCTION = """
CREATE FUNCTION tracker_counts_theme_tree() RETURNS trigger AS $$
BEGIN
    IF current_setting('tracker.counts_deferred', true) = 'on' THEN
        RETURN NULL;
    END IF;
    IF EXISTS (SELECT 1 FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE n.path <> o.path) THEN
        PERFORM tracker_item_counts_rebuild();
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql
"""


def _pg_forward(schema_editor):
    run = schema_editor.execute
    run(REBUILD_FUNCTION)
    for table in ("tracker_item", *JOIN_TABLES):
        for event, referencing in TRANSITION.items():
            name, body = _delta_function(table, event)
            run(body)
            run(
                f"CREATE TRIGGER {name} AFTER {event} ON {table} {referencing} FOR EACH STATEMENT EXECUTE FUNCTION {name}()"
            )
    run(PG_THEME_TREE_FUNCTION)
    run(
        "CREATE TRIGGER tracker_counts_theme_tree AFTER UPDATE ON tracker_theme "
        "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT "
        "EXECUTE FUNCTION tracker_counts_theme_tree()"
    )
    run("SELECT tracker_item_counts_rebuild()")
    run("ANALYZE tracker_itemcount")
    run(PG_VERSION_FUNCTION)
    for table in VERSIONED_TABLES:
        run(
            f"CREATE TRIGGER {table}_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION tracker_data_version_bump()"
        )


def _pg_backward(schema_editor):
    run = schema_editor.execute
    for table in VERSIONED_TABLES:
        run(f"DROP TRIGGER IF EXISTS {table}_data_version ON {table}")
    run("DROP FUNCTION IF EXISTS tracker_data_version_bump()")
    run("DROP TRIGGER IF EXISTS tracker_counts_theme_tree ON tracker_theme")
    run("DROP FUNCTION IF EXISTS tracker_counts_theme_tree()")
    for table in ("tracker_item", *JOIN_TABLES):
        for event in TRANSITION:
            name, _body = _delta_function(table, event)
            run(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            run(f"DROP FUNCTION IF EXISTS {name}()")
    run("DROP FUNCTION IF EXISTS tracker_item_counts_rebuild()")


def forward(apps, schema_editor):
    schema_editor.execute("INSERT INTO tracker_dataversion (id, n) VALUES (1, 1)")
    if schema_editor.connection.vendor == "postgresql":
        # The rebuild below reads the view; tracker.recount_view replaces it after every migrate. On SQLite
        # only that post_migrate step creates it (a view would stop later migrations rebuilding tracker_item).
        schema_editor.execute(RECOUNT_VIEW)
        _pg_forward(schema_editor)
        return
    for table in VERSIONED_TABLES:
        for event in ("INSERT", "UPDATE", "DELETE"):
            schema_editor.execute(
                f"CREATE TRIGGER {table}_data_version_{event.lower()} AFTER {event} ON {table} "
                "BEGIN INSERT INTO tracker_dataversion (id, n) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET n = n + 1; END"
            )


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        _pg_backward(schema_editor)
    else:
        for table in VERSIONED_TABLES:
            for event in ("insert", "update", "delete"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_data_version_{event}")
    schema_editor.execute("DROP VIEW IF EXISTS tracker_item_count_recount")


class Migration(migrations.Migration):
    dependencies = [("tracker", "0011_actor_roles")]

    operations = [
        migrations.CreateModel(
            name="DataVersion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("n", models.BigIntegerField(default=0)),
            ],
        ),
        migrations.CreateModel(
            name="ItemCount",
            fields=[
                (
                    "pk",
                    models.CompositePrimaryKey(
                        "status",
                        "kind",
                        "document_id",
                        "theme_id",
                        "actor_id",
                        "role",
                        blank=True,
                        editable=False,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                ("status", models.CharField(max_length=30)),
                ("kind", models.CharField(max_length=20)),
                ("document_id", models.BigIntegerField(default=0)),
                ("theme_id", models.BigIntegerField(default=0)),
                ("actor_id", models.BigIntegerField(default=0)),
                ("role", models.CharField(blank=True, max_length=12)),
                ("n", models.BigIntegerField(default=0)),
            ],
            options={
                "indexes": [models.Index(fields=["role", "theme_id", "actor_id"], name="item_count_role_theme_idx")]
            },
        ),
        migrations.RunPython(forward, backward),
    ]

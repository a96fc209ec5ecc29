"""The `tracker_item_count_recount` view: ItemCount's rows counted from the tables (see its SQL file).

The view is code, not schema: its SELECT lives in tracker/sql/item_count_recount.sql and is installed
after every migrate (post_migrate, connected in tracker.apps), as the item-rows JSON function is. On
SQLite the view is also dropped before migrating: SQLite rebuilds a table to alter it (a new table,
copy, drop, rename), and the rename fails while a view reads the table ("error in view ...: no such
table: main.tracker_item"). PostgreSQL alters tables in place and its count rebuild function reads the
view, so there it stays and is replaced.
"""

from pathlib import Path

from django.db import connections

VIEW = "tracker_item_count_recount"
SELECT_SQL = Path(__file__).resolve().parent / "sql" / "item_count_recount.sql"


def install(*, using: str = "default") -> None:
    target = connections[using]
    if "tracker_item" not in target.introspection.table_names():
        return  # migrated back to before the items existed
    select = SELECT_SQL.read_text(encoding="utf-8")
    with target.cursor() as cursor:
        if target.vendor == "postgresql":
            cursor.execute(f"CREATE OR REPLACE VIEW {VIEW} AS\n{select}")
        else:
            cursor.execute(f"DROP VIEW IF EXISTS {VIEW}")
            cursor.execute(f"CREATE VIEW {VIEW} AS\n{select}")


def drop_before_migrate(sender, *, using: str = "default", **kwargs) -> None:
    """pre_migrate handler: on SQLite, no view may stand in the way of a table rebuild."""
    target = connections[using]
    if target.vendor == "sqlite":
        with target.cursor() as cursor:
            cursor.execute(f"DROP VIEW IF EXISTS {VIEW}")


def install_after_migrate(sender, *, using: str = "default", **kwargs) -> None:
    """post_migrate handler: the view follows the file's SQL on every migrate, fresh database or not."""
    install(using=using)

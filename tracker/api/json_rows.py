"""Item rows rendered to JSON by PostgreSQL: the item list's hot path at a million items.

Building a page's nested rows in Python (dicts from a values() query and a relations query, then
json.dumps) was two thirds of an item list request. On PostgreSQL the database function
`tracker_item_rows_json` takes the page's ids and statuses in page order and returns the page's JSON
text, in the representation of `rows.build_rows` (still used on SQLite and for single items);
`tests/test_api_json_rows.py` checks that the two agree. The function's SQL is in
tracker/sql/item_rows_json.sql, installed after every migrate by `install_function` (a post_migrate
handler, see tracker.apps): a function body is code, so changing it needs no migration.
"""

from pathlib import Path

from django.db import connection, connections

from tracker.api.links import item_api_affixes, item_page_affixes, status_history_prefix

FUNCTION_SQL = Path(__file__).resolve().parent.parent / "sql" / "item_rows_json.sql"


def install_function(*, using: str = "default") -> bool:
    """CREATE OR REPLACE the function on a PostgreSQL database (nothing elsewhere); True if installed."""
    target = connections[using]
    if target.vendor != "postgresql":
        return False
    with target.cursor() as cursor:
        cursor.execute(FUNCTION_SQL.read_text(encoding="utf-8"))
    return True


def install_after_migrate(sender, *, using: str = "default", **kwargs) -> None:
    """post_migrate handler: the function follows the file's SQL on every migrate, fresh database or not."""
    install_function(using=using)


def page_json(keys: list[tuple[int, str]], *, base: str = "", as_of=None) -> str:
    """The JSON array (text) of the items given as (id, status) pairs, in that order."""
    if not keys:
        return "[]"
    page_prefix, page_suffix = item_page_affixes(base)
    api_prefix, api_suffix = item_api_affixes(base)
    # The function appends the router's trailing slash itself.
    assert api_suffix == "/", api_suffix
    # Two comma-separated strings rather than two lists: psycopg adapts a list value by value.
    params = [
        ",".join(str(pk) for pk, _status in keys),
        ",".join(status for _pk, status in keys),
        as_of,
        api_prefix,
        page_prefix,
        page_suffix,
        status_history_prefix(base),
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tracker_item_rows_json(string_to_array(%s, ',')::bigint[], string_to_array(%s, ','), %s::date, "
            "%s, %s, %s, %s)",
            params,
        )
        return cursor.fetchone()[0]

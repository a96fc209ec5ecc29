"""Item rows rendered to JSON by PostgreSQL: the item list's hot path at a million items.

Building a page's nested rows in Python (dicts from a values() query and a relations query, then
json.dumps) was two thirds of an item list request. On PostgreSQL the database function
`tracker_item_rows_json` (migrations 0005 and 0006) takes the page's ids and statuses in page order and
returns the page's JSON text, in the representation of `rows.build_rows` (still used on SQLite and
for single items); `tests/test_api_json_rows.py` checks that the two agree.
"""

from django.db import connection

from tracker.api.rows import item_page_affixes


def page_json(keys: list[tuple[int, str]], *, base: str = "", as_of=None) -> str:
    """The JSON array (text) of the items given as (id, status) pairs, in that order."""
    if not keys:
        return "[]"
    page_prefix, page_suffix = item_page_affixes(base)
    # Two comma-separated strings rather than two lists: psycopg adapts a list value by value.
    params = [
        ",".join(str(pk) for pk, _status in keys),
        ",".join(status for _pk, status in keys),
        as_of,
        f"{base}/api/v1/items/",
        page_prefix,
        page_suffix,
        f"{base}/api/v1/status-updates/?item=",
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tracker_item_rows_json(string_to_array(%s, ',')::bigint[], string_to_array(%s, ','), %s::date, "
            "%s, %s, %s, %s)",
            params,
        )
        return cursor.fetchone()[0]

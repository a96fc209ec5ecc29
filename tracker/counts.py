"""Reading the item counts the database keeps (ItemCount, migration 0008), and the data version.

`summed(...)` answers "how many items with these statuses and kinds, under this theme, with this
actor in this role, per <dimension>" from the summary rows: a few hundred rows whatever the number
of items. On PostgreSQL the rows are the `tracker_itemcount` table, kept by triggers in the same
statement as each change; on SQLite (no such triggers) the `tracker_item_count_recount` view counts
the same rows from the tables, which is what a small development database can afford.
"""

from django.db import connections

from tracker.models import DataVersion

ANY_ROLE = "any"
ROLES = ("made_by", "addressed_to", ANY_ROLE)
DIMENSIONS = ("status", "kind", "document_id", "theme_id", "actor_id")


def _source(connection) -> str:
    return "tracker_itemcount" if connection.vendor == "postgresql" else "tracker_item_count_recount"


def summed(
    by: str,
    *,
    statuses=(),
    kinds=(),
    theme: int = 0,
    actor: int = 0,
    role: str = "",
    using: str = "default",
) -> dict:
    """{value of `by`: items} for the items with one of `statuses` and `kinds` (empty: any), under `theme`
    (0: any) and with `actor` in `role` (made_by, addressed_to or any; actor 0: any). Zero counts are left out."""
    if by not in DIMENSIONS:
        raise ValueError(f"cannot count by {by!r}")
    if actor and role not in ROLES:
        raise ValueError(f"unknown role {role!r}")
    if by == "document_id" and (theme or actor):
        raise ValueError("items per document are counted for all themes and actors only")
    connection = connections[using]
    conditions = ["theme_id = %s", "actor_id = %s", "role = %s"]
    params: list = [theme, actor, role if actor else ""]
    if by == "theme_id":
        conditions[0] = "theme_id <> 0"
        params[0:1] = []
    elif by == "actor_id":
        conditions[1:3] = ["actor_id <> 0", "role = %s"]
        params[1:3] = [role or ANY_ROLE]
    conditions.append("document_id <> 0" if by == "document_id" else "document_id = 0")
    for column, values in (("status", statuses), ("kind", kinds)):
        if values:
            conditions.append(f"{column} IN ({', '.join(['%s'] * len(values))})")
            params.extend(values)
    sql = (
        f"SELECT {by}, SUM(n) FROM {_source(connection)} WHERE {' AND '.join(conditions)} "  # noqa: S608 - fixed names
        f"GROUP BY {by} HAVING SUM(n) > 0"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {value: int(n) for value, n in cursor.fetchall()}


def total(**filters) -> int:
    return sum(summed("status", **filters).values())


def data_version(using: str = "default") -> int:
    """The number DataVersion's triggers bump with every committed change: one primary-key read."""
    with connections[using].cursor() as cursor:
        cursor.execute(f"SELECT n FROM {DataVersion._meta.db_table} WHERE id = 1")  # noqa: S608 - model's table
        row = cursor.fetchone()
    return row[0] if row else 0


def rebuild(using: str = "default") -> None:
    """Recount every summary row (PostgreSQL; after a bulk load with `tracker.counts_deferred` on)."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT tracker_item_counts_rebuild()")

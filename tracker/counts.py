"""Reading the item counts the database keeps (ItemCount, migration 0011), and the data version.

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
    by,
    *,
    statuses=(),
    kinds=(),
    theme: int = 0,
    actor: int = 0,
    role: str = "",
    using: str = "default",
) -> dict:
    """{value of `by`: items} for the items with one of `statuses` and `kinds` (empty: any), under `theme`
    (0: any) and with `actor` in `role` (made_by, addressed_to or any; actor 0: any). `by` is a dimension
    or a tuple of them (keys are then tuples). Zero counts are left out."""
    dims = (by,) if isinstance(by, str) else tuple(by)
    if not dims or any(dim not in DIMENSIONS for dim in dims):
        raise ValueError(f"cannot count by {by!r}")
    if (actor or "actor_id" in dims) and (role or ANY_ROLE) not in ROLES:
        raise ValueError(f"unknown role {role!r}")
    if "document_id" in dims and (theme or actor or "theme_id" in dims or "actor_id" in dims):
        raise ValueError("items per document are counted for all themes and actors only")
    conditions: list[str] = []
    params: list = []
    if "theme_id" in dims:
        conditions.append("theme_id <> 0")
    else:
        conditions.append("theme_id = %s")
        params.append(theme)
    if "actor_id" in dims:
        conditions.append("actor_id <> 0 AND role = %s")
        params.append(role or ANY_ROLE)
    else:
        conditions.append("actor_id = %s AND role = %s")
        params.extend([actor, role if actor else ""])
    conditions.append("document_id <> 0" if "document_id" in dims else "document_id = 0")
    for column, values in (("status", statuses), ("kind", kinds)):
        if values:
            conditions.append(f"{column} IN ({', '.join(['%s'] * len(values))})")
            params.extend(values)
    columns = ", ".join(dims)
    connection = connections[using]
    sql = (
        f"SELECT {columns}, SUM(n) FROM {_source(connection)} WHERE {' AND '.join(conditions)} "  # noqa: S608
        f"GROUP BY {columns} HAVING SUM(n) > 0"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if len(dims) == 1:
        return {row[0]: int(row[1]) for row in rows}
    return {tuple(row[:-1]): int(row[-1]) for row in rows}


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

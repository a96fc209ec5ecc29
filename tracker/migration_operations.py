"""Operations for hand-written migrations."""

from django.db import migrations


def postgresql_only(forward: list[str], backward: list[str]) -> migrations.RunPython:
    """Run these SQL statements on PostgreSQL only (indexes and functions SQLite has no use or syntax for);
    on SQLite the migration is a no-op either way."""

    def run(statements):
        def operation(apps, schema_editor):
            if schema_editor.connection.vendor == "postgresql":
                for statement in statements:
                    schema_editor.execute(statement, None)  # None: no placeholders ("%" may be the modulo)

        return operation

    return migrations.RunPython(run(forward), run(backward))

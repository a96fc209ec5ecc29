"""Formerly replaced the PostgreSQL item-page JSON function with a faster one; now does nothing.

The function's SQL (with why it is written as it is) lives in tracker/sql/item_rows_json.sql and is
installed after every migrate (tracker.api.json_rows.install_after_migrate).
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("tracker", "0005_item_rows_json_function")]

    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop, elidable=True)]

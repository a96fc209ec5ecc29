"""Formerly created the PostgreSQL item-page JSON function; now does nothing.

The function's SQL lives in tracker/sql/item_rows_json.sql and is installed with CREATE OR REPLACE
after every migrate (tracker.api.json_rows.install_after_migrate): a function body is code, not
schema. This migration stays so that databases that applied it keep a consistent history.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("tracker", "0004_document_import_fingerprint")]

    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop, elidable=True)]

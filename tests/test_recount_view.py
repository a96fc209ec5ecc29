"""tracker.recount_view: the recount view follows its SQL file and never blocks a migration on SQLite.

Runs `migrate` on a fresh SQLite file in a subprocess (the test database is shared by the other tests),
then does what a later migration altering an Item field does there: rebuild tracker_item.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

SCRIPT = """
import django
django.setup()
from django.core.management import call_command
from django.core.management.sql import emit_post_migrate_signal, emit_pre_migrate_signal
from django.db import OperationalError, connection, models
from tracker.models import Item

def views():
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'view'")
        return sorted(row[0] for row in cursor.fetchall())

def rebuild_items(extra):
    old = Item._meta.get_field("title")
    new = models.CharField(max_length=old.max_length + extra)
    new.set_attributes_from_name("title")
    new.model = Item
    with connection.schema_editor() as editor:
        editor.alter_field(Item, old, new)

call_command("migrate", verbosity=0)
print("after migrate:", views())
try:
    rebuild_items(10)  # the view in the way: what migrations met before
except OperationalError as error:
    print("with the view:", error)
emit_pre_migrate_signal(verbosity=0, interactive=False, db="default")
print("while migrating:", views())
rebuild_items(20)
emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
with connection.cursor() as cursor:
    cursor.execute("SELECT COUNT(*) FROM tracker_item_count_recount")
    print("after the rebuild:", views(), cursor.fetchone()[0])
"""


@pytest.mark.slow
def test_the_view_is_out_of_the_way_while_migrating_on_sqlite(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "after migrate: ['tracker_item_count_recount']"
    assert lines[1] == "with the view: error in view tracker_item_count_recount: no such table: main.tracker_item"
    assert lines[2] == "while migrating: []"
    assert lines[3] == "after the rebuild: ['tracker_item_count_recount'] 0"

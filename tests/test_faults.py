"""Faults in the middle of an import (issue 10, point 11), on PostgreSQL: `manage.py import_corpus` runs in a
subprocess against the test database and is interrupted after it has written some documents inside its
transaction, by SIGKILL of the process, or by the server ending its session (pg_terminate_backend).
Afterwards the database holds exactly what it held before (no partial rows) and check_citations passes.

Why pg_terminate_backend rather than a real server restart: the PostgreSQL server here is shared by
every engineer's test runs, and a restart would break theirs. To the import, a restart (a fast shutdown
terminates every session with the same "terminating connection due to administrator command") and
pg_terminate_backend of its one session are the same event: its connection is cut in the middle of the
transaction and the server throws the uncommitted work away.

Each test is bounded: the subprocess has a deadline and is killed when it passes it.
"""

import os
import queue
import signal
import subprocess
import sys
import threading
import time
import uuid
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection

from benchmarks.generate_corpus import generate
from tracker.models import Citation, Document, Item

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.slow,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="faults of a PostgreSQL session"),
    # The subprocess must see the test's data and the test must see what the subprocess committed.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = 4
DEADLINE = 240  # seconds for one subprocess, far above its normal run time (about 15 s on this machine)


class ImportProcess:
    """`manage.py import_corpus MANIFEST` in a subprocess on the test database, its output read line by line."""

    def __init__(self, manifest: Path):
        settings = connection.settings_dict
        self.application_name = f"fault-test-{uuid.uuid4().hex[:12]}"
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings_test",
            "DATABASE_URL": (
                f"postgres://{settings['USER']}:{settings['PASSWORD']}@{settings['HOST'] or '127.0.0.1'}:"
                f"{settings['PORT'] or 5432}/{settings['NAME']}"
            ),
            "PGAPPNAME": self.application_name,  # libpq's: finds the import's session in pg_stat_activity
            "PYTHONUNBUFFERED": "1",  # each progress line as soon as it is written
        }
        self.process = subprocess.Popen(
            [sys.executable, str(ROOT / "manage.py"), "import_corpus", str(manifest)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.started = time.monotonic()
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.output: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def remaining(self) -> float:
        return max(DEADLINE - (time.monotonic() - self.started), 0.1)

    def wait_for_line(self, prefix: str) -> str:
        """Block until the import prints a line starting with `prefix` (a progress line "[2/4] ...")."""
        while True:
            try:
                line = self.lines.get(timeout=self.remaining())
            except queue.Empty:
                self.kill()
                pytest.fail(f"no line {prefix!r} within {DEADLINE} s; output: {self.output}")
            if line is None:
                pytest.fail(f"the import ended before {prefix!r}: {self.output} {self.process.stderr.read()}")
            self.output.append(line)
            if line.startswith(prefix):
                return line

    def backend(self) -> tuple[int, str | None, str | None] | None:
        """(pid, state, backend_xid) of the import's server session, or None once it is gone."""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pid, state, backend_xid::text FROM pg_stat_activity WHERE application_name = %s",
                [self.application_name],
            )
            return cursor.fetchone()

    def wait_for_backend_gone(self) -> None:
        """The server has noticed the end of the session (and rolled its transaction back)."""
        while self.backend() is not None:
            if self.remaining() <= 0.1:
                pytest.fail("the import's server session outlived its process")
            time.sleep(0.2)

    def finish(self) -> tuple[int, str]:
        try:
            _, stderr = self.process.communicate(timeout=self.remaining())
        except subprocess.TimeoutExpired:
            self.kill()
            pytest.fail(f"the import did not end within {DEADLINE} s")
        return self.process.returncode, stderr

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """Four generated strategies of about 40 KB (some 80 items each): an import of several seconds."""
    return generate(tmp_path_factory.mktemp("fault-corpus"), DOCUMENTS, target_bytes=40_000)


def snapshot() -> dict:
    """Row counts of every tracker table (history included), and every citation's place."""
    counts = {
        model._meta.db_table: model._default_manager.count() for model in apps.get_app_config("tracker").get_models()
    }
    citations = sorted(Citation.objects.values_list("item__reference", "document__slug", "start", "end"))
    return {"counts": counts, "citations": citations}


def assert_citations_check():
    out = StringIO()
    call_command("check_citations", stdout=out)
    assert out.getvalue().startswith("All ")


def assert_in_open_write_transaction(process: ImportProcess) -> None:
    """The import's session holds a transaction that has written (an xid is assigned on the first write)."""
    backend = process.backend()
    assert backend is not None, "the import's session is not connected"
    _, state, xid = backend
    assert state in {"active", "idle in transaction"} and xid is not None, backend


def test_sigkill_of_import_corpus_mid_run_leaves_no_partial_rows(corpus):
    before = snapshot()
    process = ImportProcess(corpus)
    process.wait_for_line(f"[1/{DOCUMENTS}] synthetic-00001: new")
    # The first document's rows (about 80 items with citations and history) are written, not committed.
    assert_in_open_write_transaction(process)

    process.kill()
    process.wait_for_backend_gone()

    assert process.process.returncode == -signal.SIGKILL
    assert snapshot() == before
    assert not Document.objects.exists()
    assert_citations_check()

    # Nothing is left half-done: the same import then runs to the end, and a re-run changes nothing.
    rerun = ImportProcess(corpus)
    returncode, stderr = rerun.finish()
    assert returncode == 0, stderr
    assert Document.objects.count() == DOCUMENTS
    assert Item.objects.count() > 50 * DOCUMENTS
    assert_citations_check()
    call_command("import_corpus", str(corpus), stdout=(out := StringIO()))
    assert f"{DOCUMENTS} documents, 0 created, 0 updated, 0 orphaned" in out.getvalue()


def test_server_ending_the_session_mid_import_leaves_no_partial_rows(corpus, tmp_path):
    # A committed first document, so the import has earlier data to leave intact.
    first = tmp_path / "manifest.toml"
    first.write_text(corpus.read_text(encoding="utf-8").split("\n[[documents]]")[0], encoding="utf-8")
    (tmp_path / "synthetic-00001.txt").write_text((corpus.parent / "synthetic-00001.txt").read_text(encoding="utf-8"))
    call_command("import_corpus", str(first), stdout=StringIO())
    before = snapshot()
    assert before["counts"]["tracker_document"] == 1

    process = ImportProcess(corpus)
    process.wait_for_line(f"[2/{DOCUMENTS}] synthetic-00002: new")
    assert_in_open_write_transaction(process)
    pid = process.backend()[0]
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
        assert cursor.fetchone() == (True,)

    returncode, stderr = process.finish()

    # The import stops with the document it was writing named, and nothing of this run is kept.
    assert returncode == 1, stderr
    assert "CommandError: Database error while importing synthetic-0000" in stderr
    assert "nothing was written" in stderr
    assert "terminating connection due to administrator command" in stderr
    process.wait_for_backend_gone()
    assert snapshot() == before
    assert list(Document.objects.values_list("slug", flat=True)) == ["synthetic-00001"]
    assert_citations_check()

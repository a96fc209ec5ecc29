"""Import benchmark: the bundled corpus, then a generated corpus imported twice (first, then no change).

Each import runs in its own process so that its peak memory (ru_maxrss) is its own; the time is
the command's own run time (call_command), without interpreter and Django start-up.

    .venv/bin/python benchmarks/import_benchmark.py --documents 1000
    DATABASE_URL=postgres://tracker:tracker@127.0.0.1:5432/tracker_bench .venv/bin/python benchmarks/import_benchmark.py

Without DATABASE_URL a fresh SQLite file in a temporary folder is used.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.generate_corpus import generate  # noqa: E402

CHILD = """
import json, os, resource, sys, time
sys.path.insert(0, {root!r})
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
import django
django.setup()
from io import StringIO
from django.core.management import call_command
args = sys.argv[1:]
if args == ["migrate"]:
    call_command("migrate", verbosity=0)
    sys.exit(0)
out = StringIO()
started = time.perf_counter()
call_command("import_corpus", *args, stdout=out, verbosity=1)
elapsed = time.perf_counter() - started
print(json.dumps({{"seconds": elapsed, "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "summary": out.getvalue().strip().splitlines()[-1]}}))
"""


def run_child(env, *args) -> dict | None:
    result = subprocess.run(
        [sys.executable, "-c", CHILD.format(root=str(ROOT)), *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        sys.exit(f"import failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1]) if args != ("migrate",) else None


def folder_megabytes(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.glob("*.txt")) / 1e6


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--documents", type=int, default=1000, help="documents in the generated corpus")
    parser.add_argument("--sizes", default="", help="comma-separated corpus sizes to show memory stays flat")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s] or [args.documents]

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        rows = []
        for size in sizes:
            env = dict(os.environ)
            env.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench-{size}.sqlite3")
            run_child(env, "migrate")
            bundled = run_child(env, str(ROOT / "corpus"))
            corpus = tmp / f"corpus-{size}"
            generate(corpus, size)
            megabytes = folder_megabytes(corpus)
            first = run_child(env, str(corpus))
            again = run_child(env, str(corpus))
            rows.append((size, megabytes, bundled, first, again))

        print(f"database: {os.environ.get('DATABASE_URL', 'SQLite (temporary file)')}")
        for size, megabytes, bundled, first, again in rows:
            print(f"\nbundled corpus (5 documents): {bundled['seconds']:.2f} s  [{bundled['summary']}]")
            print(f"generated corpus: {size} documents, {megabytes:.1f} MB")
            for label, run in (("first import", first), ("re-run, no change", again)):
                print(
                    f"  {label:18} {run['seconds']:8.2f} s  {size / run['seconds']:8.1f} documents/s  "
                    f"{megabytes / run['seconds']:7.2f} MB/s  peak RSS {run['max_rss_mb']:.0f} MB"
                )
            print(f"  re-run speed-up: {first['seconds'] / again['seconds']:.1f}x")


if __name__ == "__main__":
    main()

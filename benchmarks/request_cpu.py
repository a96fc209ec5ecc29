"""CPU time per request of one API URL, in-process (Django's test client), optionally profiled.

    DATABASE_URL=postgres://tracker:tracker@127.0.0.1:5432/bench_new REDIS_URL=redis://127.0.0.1:6379/3 \
        .venv/bin/python benchmarks/request_cpu.py "/api/v1/items/?status=in_progress&page_size=50" [--profile]

Each request carries a unique `_bench` parameter that no filter reads, so no response cache answers it:
what building the page costs this process (the database's own time shows only in the wall figure).
Run it from another checkout (`--root`) to compare two versions of the code over their own databases.
CPU time moves less with the machine's load than wall time does, which is why it is the figure here.
"""

import argparse
import cProfile
import os
import pstats
import random
import sys
import time
from pathlib import Path

from api_benchmark import server_env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("path", help="An API path with a query string, e.g. /api/v1/items/?status=stalled")
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parent.parent, help="Checkout.")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--profile", action="store_true", help="Print the top functions by own time.")
    args = parser.parse_args()

    os.environ.update(server_env(args.database_url), DJANGO_ALLOWED_HOSTS="testserver", DJANGO_LOG_LEVEL="ERROR")
    sys.path.insert(0, str(args.root))
    os.chdir(args.root)
    import django

    django.setup()
    from django.test import Client

    client = Client()
    separator = "&" if "?" in args.path else "?"

    def run(count: int, start: int) -> None:
        for n in range(start, start + count):
            response = client.get(f"{args.path}{separator}_bench={n}")
            if response.status_code != 200:
                raise SystemExit(f"{args.path}: HTTP {response.status_code}")

    # A random start, so that a run never meets the pages an earlier run left in a shared (Redis) cache.
    base = random.randrange(10**12)
    run(20, base)  # warm-up: imports, connections, the per-process copies of actors and themes
    cpu, wall = time.process_time(), time.perf_counter()
    run(args.requests, base + 1000)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    per_request = 1000 / args.requests
    print(f"{args.root}: {cpu * per_request:.2f} ms CPU, {wall * per_request:.2f} ms wall per request")
    if args.profile:
        profile = cProfile.Profile()
        profile.runcall(run, args.requests, base + 10_000 + args.requests)
        pstats.Stats(profile).sort_stats("tottime").print_stats(30)


if __name__ == "__main__":
    main()

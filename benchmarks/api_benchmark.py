"""Benchmark the read API under gunicorn against PostgreSQL: requests/s and p50/p99 latency per scenario.

    DATABASE_URL=postgres://tracker:tracker@127.0.0.1:5432/tracker_bench \
        .venv/bin/python benchmarks/api_benchmark.py --duration 20

Fill the database first (`manage.py migrate` and `manage.py generate_synthetic_data --items 100000`).
The script starts gunicorn on 127.0.0.1 (DEBUG off, throttling raised out of the way), then for each
scenario drives it from a second process with N concurrent keep-alive connections (http.client in
threads) for a bounded time after a short warm-up, and prints one table row per scenario. Not a test:
numbers depend on the machine. See benchmarks/README-api.md for the figures and how they were taken.
"""

import argparse
import http.client
import json
import multiprocessing
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def server_env(database_url: str) -> dict:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=env.get("DJANGO_SECRET_KEY", "benchmark-only-secret-key-0123456789abcdefghijklmnop"),
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_LOG_LEVEL="WARNING",
        # The benchmark measures the API, not the throttle refusing it.
        API_THROTTLE_ANON="10000000/second",
        API_THROTTLE_USER="10000000/second",
    )
    return env


def start_server(args) -> subprocess.Popen:
    command = [
        str(ROOT / ".venv/bin/gunicorn"),
        "config.wsgi:application",
        "--bind",
        f"127.0.0.1:{args.port}",
        "--workers",
        str(args.workers),
        "--worker-class",
        args.worker_class,
        "--threads",
        str(args.threads),
        "--keep-alive",
        "30",
        "--log-level",
        "warning",
    ]
    process = subprocess.Popen(command, cwd=ROOT, env=server_env(args.database_url))  # noqa: S603
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited with {process.returncode} (is port {args.port} in use?)")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", args.port, timeout=2)
            connection.request("GET", "/api/v1/statuses/")
            if connection.getresponse().status == 200:
                return process
        except OSError:
            time.sleep(0.3)
    process.terminate()
    raise SystemExit("gunicorn did not answer within 30 s")


def pick_parameters(args) -> dict:
    """An actor and a theme that share items, a status and a word: taken from the data, not guessed."""
    connection = http.client.HTTPConnection("127.0.0.1", args.port, timeout=30)

    def get(path):
        connection.request("GET", path)
        response = connection.getresponse()
        return json.loads(response.read())

    facets = get(f"/api/v1/items/facets/?actor={args.actor}")
    theme = max(facets["theme"], key=lambda t: t["count"] if "/" in t["path"] else 0)["slug"]
    return {"actor": args.actor, "theme": theme, "status": "in_progress", "word": args.word}


def scenarios(p: dict) -> list[tuple[str, str]]:
    return [
        ("1 status page of 50", f"/api/v1/items/?status={p['status']}&page_size=50"),
        ("2 made_by AND theme, 50", f"/api/v1/items/?made_by={p['actor']}&theme={p['theme']}&page_size=50"),
        ("2b actor (either) AND theme, 50", f"/api/v1/items/?actor={p['actor']}&theme={p['theme']}&page_size=50"),
        ("3 full-text word, 50 by id", f"/api/v1/items/?q={p['word']}&ordering=id&page_size=50"),
        ("3b full-text word, 50 by rank", f"/api/v1/items/?q={p['word']}&page_size=50"),
        ("4 facets for an actor", f"/api/v1/items/facets/?actor={p['actor']}"),
    ]


def _client(port, path, stop_at, warm_until, latencies, errors):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    while True:
        started = time.perf_counter()
        if started >= stop_at:
            break
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            ok = response.status == 200
        except (OSError, http.client.HTTPException):
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            ok = False
        elapsed = time.perf_counter() - started
        if started >= warm_until:
            latencies.append(elapsed)
            if not ok:
                errors.append(1)


def drive(port: int, path: str, connections: int, duration: float, warmup: float, queue) -> None:
    """Runs in its own process: `connections` threads hammering one URL; puts (latencies, errors)."""
    now = time.perf_counter()
    warm_until, stop_at = now + warmup, now + warmup + duration
    latencies: list[float] = []
    errors: list[int] = []
    threads = [
        threading.Thread(target=_client, args=(port, path, stop_at, warm_until, latencies, errors))
        for _ in range(connections)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    queue.put((latencies, len(errors)))


def run_wrk(args, path: str) -> tuple[float, float, float, int]:
    """The same measurement with wrk (Debian package `wrk`), a lighter load generator than Python threads."""
    url = f"http://127.0.0.1:{args.port}{path}"
    common = ["wrk", f"-t{args.connections}", f"-c{args.connections}", "--timeout", "30s"]
    subprocess.run([*common, f"-d{max(1, int(args.warmup))}s", url], capture_output=True, check=True)
    out = subprocess.run(
        [*common, f"-d{int(args.duration)}s", "--latency", url], capture_output=True, text=True, check=True
    ).stdout

    def millis(label: str) -> float:
        value = re.search(rf"^\s+{label}\s+([\d.]+)(us|ms|s)\s*$", out, re.MULTILINE)
        number, unit = float(value.group(1)), value.group(2)
        return number / 1000 if unit == "us" else number * 1000 if unit == "s" else number

    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rate, millis("50%"), millis("99%"), int(bad.group(1)) if bad else 0


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""), help="PostgreSQL URL.")
    parser.add_argument("--port", type=int, default=8765, help="Port for gunicorn on 127.0.0.1.")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2).")
    parser.add_argument("--threads", type=int, default=1, help="Threads per worker with gthread (default 1).")
    parser.add_argument(
        "--worker-class",
        default="sync",
        help="gunicorn worker class (default sync, gunicorn's own default for use behind a proxy; gthread keeps "
        "connections alive but its event loop cost 1-2 ms of CPU per request here).",
    )
    parser.add_argument("--connections", type=int, default=2, help="Concurrent client connections (default 2).")
    parser.add_argument("--duration", type=float, default=15, help="Seconds measured per scenario.")
    parser.add_argument("--warmup", type=float, default=2, help="Seconds of warm-up per scenario, not measured.")
    parser.add_argument("--repeat", type=int, default=1, help="wrk runs per scenario; the median run is shown.")
    parser.add_argument("--only", default="", help="Run only scenarios whose name starts with this.")
    parser.add_argument(
        "--actor", default="syn-actor-000", help="Actor slug (syn-actor-000 is the most popular, in ~40%% of items)."
    )
    parser.add_argument("--word", default="trade", help="The full-text search word.")
    parser.add_argument(
        "--client",
        choices=["python", "wrk"],
        default="wrk" if shutil.which("wrk") else "python",
        help="Load generator: wrk (default when installed: Debian package `wrk`) or Python threads.",
    )
    args = parser.parse_args()
    if not args.database_url.startswith("postgres"):
        raise SystemExit("Give a PostgreSQL --database-url (or DATABASE_URL), e.g. the tracker_bench database.")

    server = start_server(args)
    try:
        params = pick_parameters(args)
        print(f"parameters: {params}")
        print(f"{'scenario':32} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}  url")
        for name, path in scenarios(params):
            if args.only and not name.startswith(args.only):
                continue
            path = urllib.parse.quote(path, safe="/?=&")
            if args.client == "wrk":
                # The run with the median rate of --repeat runs (this machine's speed varies from minute to minute).
                runs = sorted((run_wrk(args, path) for _ in range(args.repeat)), key=lambda run: run[0])
                rate, p50, p99, errors = runs[len(runs) // 2]
                rates = ", ".join(f"{run[0]:.0f}" for run in runs)
                spread = f"  (req/s of the runs: {rates})" if args.repeat > 1 else ""
                print(f"{name:32} {rate:8.0f} {p50:8.1f} {p99:8.1f} {errors:7d}  {path}{spread}", flush=True)
                continue
            queue = multiprocessing.Queue()
            process = multiprocessing.Process(
                target=drive, args=(args.port, path, args.connections, args.duration, args.warmup, queue)
            )
            process.start()
            latencies, errors = queue.get()
            process.join()
            if not latencies:
                # Not one answer within the client's 30 s timeout (gunicorn's worker timeout is 30 s too).
                print(f"{name:32} {'-':>8} {'>30000':>8} {'>30000':>8} {errors:7d}  {path}", flush=True)
                continue
            rate = len(latencies) / args.duration
            p50, p99 = percentile(latencies, 0.5) * 1000, percentile(latencies, 0.99) * 1000
            print(f"{name:32} {rate:8.0f} {p50:8.1f} {p99:8.1f} {errors:7d}  {path}", flush=True)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


if __name__ == "__main__":
    sys.exit(main())

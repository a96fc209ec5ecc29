"""Benchmark the read API and the public pages under gunicorn against PostgreSQL, cold and warm.

    DATABASE_URL=postgres://tracker:tracker@127.0.0.1:5432/tracker_bench1m REDIS_URL=redis://127.0.0.1:6379/0 \
        .venv/bin/python benchmarks/api_benchmark.py --duration 10 --repeat 3

Fill the database first (`manage.py migrate` and `manage.py generate_synthetic_data --items 1000000`).
The script starts gunicorn on 127.0.0.1 (DEBUG off, throttling raised out of the way; REDIS_URL, when
set, is passed on, so the workers share one cache). Each scenario is a list of parameter sets spread
over the range (statuses x pages; popular, middling and rare actors, each with a theme; many words),
and is measured twice:

- cold: right after a data change (a status update recorded through tracker.services, as an editor
  would), each URL of the list once, in turn: every request is the first of its parameter set since
  the change (nothing cached); the workers have served a 2-second warm-up first (WARM_UP_PATHS), so
  a worker's own start-up is not in these figures;
- warm: wrk (Debian package `wrk`) cycling through the list with N connections for --duration seconds.

Then the public pages, once cold (after a data change) and once warm, each. Not a test: numbers depend
on the machine. See the README's "Performance" section for the figures and how they were taken.
"""

import argparse
import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
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
        # The benchmark measures the API, not the throttle refusing it. REDIS_URL, if set, passes through.
        API_THROTTLE_ANON="10000000/second",
        API_THROTTLE_USER="10000000/second",
    )
    return env


def start_server(args) -> subprocess.Popen:
    # DEBUG off serves static files from STATIC_ROOT, as in production: without them every page is a 500.
    subprocess.run(  # noqa: S603
        [str(ROOT / ".venv/bin/python"), "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=server_env(args.database_url),
        check=True,
    )
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
    return wait_until_serving(process, args.port)


def wait_until_serving(process: subprocess.Popen, port: int) -> subprocess.Popen:
    """The started gunicorn, once it answers on 127.0.0.1:port (at most 30 s)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited with {process.returncode} (is port {port} in use?)")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/api/v1/statuses/")
            if connection.getresponse().status == 200:
                return process
        except OSError:
            time.sleep(0.3)
    process.terminate()
    raise SystemExit(f"gunicorn on port {port} did not answer within 30 s")


WORDS = (
    "trade", "border", "police", "energy", "corruption", "roma", "refugees", "media", "minorities", "defence",
    "reform", "judiciary", "elections", "customs", "visa", "investment", "security", "trafficking", "water", "summit",
)  # fmt: skip
# Two-word phrases (quoted: websearch's phrase, 'border' <-> 'polic'): PostgreSQL estimates a phrase as its
# words ANDed, 20 times its real matches here (tracker.search chooses the path from the facet sample instead).
PHRASES = (
    "border police", "trade union", "energy security", "regional cooperation", "national authorities",
    "joint framework", "support reform", "customs agency", "strengthen institutions", "media dialogue",
)  # fmt: skip
STATUSES = ("in_progress", "not_started", "partially_implemented", "stalled", "unknown")


def _get_json(port: int, path: str):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    connection.request("GET", path)
    return json.loads(connection.getresponse().read())


def parameter_sets(port: int, actor_count: int) -> dict:
    """Actors spread over the popularity range (synthetic slugs are numbered by popularity) and themes."""
    actors = sorted(a["slug"] for a in _get_json(port, "/api/v1/actors/?page_size=500")["results"])
    actors = [slug for slug in actors if slug.startswith("syn-actor-")] or actors
    picks = [actors[i * len(actors) // actor_count] for i in range(min(actor_count, len(actors)))]
    themes = [t["slug"] for t in _get_json(port, "/api/v1/themes/?page_size=500")["results"]]
    return {"actors": picks, "themes": themes}


def scenarios(p: dict) -> dict[str, list[str]]:
    actors, themes = p["actors"], p["themes"]
    pairs = [(actor, themes[(i * 7) % len(themes)]) for i, actor in enumerate(actors)]
    return {
        "1 status x page (5 x 4)": [
            f"/api/v1/items/?status={s}&page={n}&page_size=50" for s in STATUSES for n in range(1, 5)
        ],
        "2 made_by AND theme": [f"/api/v1/items/?made_by={a}&theme={t}&page_size=50" for a, t in pairs],
        "2b actor (either role) AND theme": [f"/api/v1/items/?actor={a}&theme={t}&page_size=50" for a, t in pairs],
        "3 word, by id (x 2 pages)": [
            f"/api/v1/items/?q={w}&ordering=id&page_size=50&page={n}" for w in WORDS for n in (1, 2)
        ],
        "3b word, by relevance (x 2 pages)": [
            f"/api/v1/items/?q={w}&page_size=50&page={n}" for w in WORDS for n in (1, 2)
        ],
        "3c phrase, by relevance (x 2 pages)": [
            f'/api/v1/items/?q="{phrase.replace(" ", "+")}"&page_size=50&page={n}' for phrase in PHRASES for n in (1, 2)
        ],
        "4 facets for an actor": [f"/api/v1/items/facets/?actor={a}" for a in actors],
        "4b facets for actor AND theme": [f"/api/v1/items/facets/?actor={a}&theme={t}" for a, t in pairs],
    }


def public_pages(p: dict) -> list[str]:
    actors, themes = p["actors"], p["themes"]
    return [
        "/",
        "/items/",
        "/items/?status=stalled",
        f"/items/?actor={actors[0]}",
        f"/items/?actor={actors[len(actors) // 2]}",
        f"/items/?actor={actors[len(actors) // 2]}&theme={themes[0]}",
        f"/items/?actor={actors[-1]}",
        "/items/?q=trade",
        "/items/?q=border+police",
        '/items/?q="border+police"',
        "/themes/",
        "/actors/",
        "/status/",
    ]


def change_data(database_url: str) -> float:
    """Record one status update, as an editor would (tracker.services): the data version moves on.
    Returns the seconds the write took (its triggers keep the counts in the same transaction)."""
    os.environ.update(server_env(database_url))
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()  # once per process: later calls return at once
    from tracker import services
    from tracker.enums import Status
    from tracker.models import Item

    top = Item.objects.order_by("-id").values_list("id", flat=True).first()
    item = Item.objects.get(pk=1 + int(time.time() * 1000) % top)
    started = time.perf_counter()
    services.record_status_update(item=item, status=Status.IN_PROGRESS, note="Benchmark data change.")
    return time.perf_counter() - started


def timed_get(port: int, path: str) -> tuple[float, int]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    started = time.perf_counter()
    connection.request("GET", path)
    response = connection.getresponse()
    response.read()
    return time.perf_counter() - started, response.status


def run_wrk(args, paths: list[str]) -> dict:
    """wrk cycling through `paths` (benchmarks/wrk_paths.lua) for --duration seconds."""
    listing = Path(args.workdir) / "paths.txt"
    listing.write_text("\n".join(urllib.parse.quote(path, safe="/?=&+") for path in paths) + "\n")
    script = str(ROOT / "benchmarks" / "wrk_paths.lua")
    command = ["wrk", "-t1", f"-c{args.connections}", f"-d{int(args.duration)}s", "--latency", "--timeout", "30s"]
    out = subprocess.run(  # noqa: S603 - fixed command, loopback target
        [*command, "-s", script, f"http://127.0.0.1:{args.port}", "--", str(listing)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    summary = json.loads(re.search(r"BENCH_JSON (\{.*\})", out).group(1))
    return {
        "rps": summary["requests"] / (summary["duration_us"] / 1e6),
        "p50": summary["p50_us"] / 1000,
        "p99": summary["p99_us"] / 1000,
        "errors": summary["errors"],
    }


# Served by every worker before the first cold pass: a worker's first request also opens its database connection,
# loads the actors and themes and compiles templates, a cost of starting a worker, not of a data change.
WARM_UP_PATHS = ["/api/v1/statuses/", "/api/v1/items/?page_size=5", "/status/", "/items/?status=stalled", "/"]


def warm_up(args) -> None:
    """wrk for 2 s over WARM_UP_PATHS with the run's connections (both sync workers answer some)."""
    run_wrk(argparse.Namespace(**{**vars(args), "duration": 2}), WARM_UP_PATHS)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def cold_pass(args, paths: list[str]) -> tuple[list[float], int, float]:
    """A data change, then each path once: (latencies, non-200 answers, seconds the change took)."""
    write = change_data(args.database_url)
    latencies, bad = [], 0
    for path in paths:
        # "+" stays a space: quoted to %2B, "?q=border+police" searched for the phrase "border+police"
        # ('border' <-> 'polic'), another query (and a slow one: see the README) than the page listed.
        elapsed, status = timed_get(args.port, urllib.parse.quote(path, safe="/?=&+"))
        latencies.append(elapsed)
        bad += status != 200
    return latencies, bad, write


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""), help="PostgreSQL URL.")
    parser.add_argument("--port", type=int, default=8765, help="Port for gunicorn on 127.0.0.1.")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2).")
    parser.add_argument("--threads", type=int, default=1, help="Threads per worker with gthread (default 1).")
    parser.add_argument("--worker-class", default="sync", help="gunicorn worker class (default sync).")
    parser.add_argument("--connections", type=int, default=2, help="Concurrent wrk connections (default 2).")
    parser.add_argument("--duration", type=float, default=10, help="Seconds of wrk per warm run.")
    parser.add_argument("--repeat", type=int, default=1, help="Warm runs per scenario; the median run is shown.")
    parser.add_argument("--actors", type=int, default=20, help="Actors spread over the popularity range.")
    parser.add_argument("--only", default="", help="Run only scenarios whose name starts with this.")
    parser.add_argument("--no-pages", action="store_true", help="Skip the public pages.")
    parser.add_argument("--slowest", type=int, default=0, help="Also list each scenario's N slowest cold requests.")
    parser.add_argument("--workdir", default=tempfile.gettempdir(), help="Where wrk's list of paths is written.")
    args = parser.parse_args()
    if not args.database_url.startswith("postgres"):
        raise SystemExit("Give a PostgreSQL --database-url (or DATABASE_URL), e.g. the tracker_bench1m database.")
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed (Debian package wrk).")

    server = start_server(args)
    try:
        params = parameter_sets(args.port, args.actors)
        warm_up(args)
        print(f"actors: {', '.join(params['actors'])}")
        print(
            f"{'scenario':36} {'sets':>4} | {'cold p50':>8} {'p99':>7} {'max':>7} | "
            f"{'warm req/s':>10} {'p50':>6} {'p99':>6} {'errors':>6}"
        )
        for name, paths in scenarios(params).items():
            if args.only and not name.startswith(args.only):
                continue
            cold, bad, _write = cold_pass(args, paths)
            runs = sorted((run_wrk(args, paths) for _ in range(args.repeat)), key=lambda run: run["rps"])
            warm = runs[len(runs) // 2]
            rates = ", ".join(f"{run['rps']:.0f}" for run in runs)
            spread = f"  (req/s of the runs: {rates})" if args.repeat > 1 else ""
            print(
                f"{name:36} {len(paths):4d} | {percentile(cold, 0.5) * 1000:8.1f} {percentile(cold, 0.99) * 1000:7.1f} "
                f"{max(cold) * 1000:7.1f} | {warm['rps']:10.0f} {warm['p50']:6.1f} {warm['p99']:6.1f} "
                f"{warm['errors'] + bad:6d}{spread}",
                flush=True,
            )
            for elapsed, path in sorted(zip(cold, paths, strict=True), reverse=True)[: args.slowest]:
                print(f"    cold {elapsed * 1000:7.1f} ms  {path}")
        if args.no_pages:
            return
        pages = public_pages(params)
        cold, bad, write = cold_pass(args, pages)
        warm = [timed_get(args.port, urllib.parse.quote(path, safe="/?=&+"))[0] for path in pages]
        print(f"\npublic pages (ms; the status update before the cold pass took {write * 1000:.0f} ms):")
        print(f"{'page':60} {'cold':>7} {'warm':>7}")
        for path, c, w in zip(pages, cold, warm, strict=True):
            print(f"{path:60} {c * 1000:7.0f} {w * 1000:7.0f}")
        if bad:
            print(f"{bad} pages did not answer 200")
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


if __name__ == "__main__":
    sys.exit(main())

"""Compare the read API of two checkouts side by side in one run: is a change a slowdown or noise?

    .venv/bin/python benchmarks/api_before_after.py \
        --before /path/to/old-checkout --before-db postgres://tracker:tracker@127.0.0.1:5432/bench_old \
        --after . --after-db postgres://tracker:tracker@127.0.0.1:5432/bench_new --rounds 3 --duration 10

Each checkout is served by its own gunicorn (2 sync workers, DEBUG off, throttling out of the way, its
own virtualenv at <checkout>/.venv) over its own database of the same synthetic data (generated with
each checkout's `generate_synthetic_data`, since the schemas differ). Then wrk (Debian package `wrk`)
drives the same URLs at both, interleaved: before, after, before, after ... for --rounds rounds, so
that the machine's changes of speed fall on both alike. Two passes per scenario:

- "computed": every request carries a unique `_bench` parameter that no filter reads, so no response
  cache can answer it: what the code costs to build the page;
- "repeated": the same URL again and again, as the old benchmark measured it (a cache may answer).

It prints requests/s (median of the rounds, and the range) and p50/p99 of the median round, and the
after/before ratio. Not a test: numbers depend on the machine.
"""

import argparse
import http.client
import json
import re
import signal
import statistics
import subprocess
import tempfile
import urllib.parse
from pathlib import Path

from api_benchmark import server_env, wait_until_serving

UNIQUE_LUA = """
local counter = 0
function setup(thread) thread:set("tid", tostring(math.random(1, 1000000000))) end
function request()
  counter = counter + 1
  return wrk.format("GET", wrk.path .. "&_bench=" .. tid .. "-" .. counter)
end
"""


def start(root: Path, database_url: str, port: int) -> subprocess.Popen:
    command = [
        str(root / ".venv/bin/gunicorn"),
        "config.wsgi:application",
        *("--bind", f"127.0.0.1:{port}", "--workers", "2", "--worker-class", "sync"),
        *("--keep-alive", "30", "--log-level", "warning"),
    ]
    process = subprocess.Popen(command, cwd=root, env=server_env(database_url))  # noqa: S603
    return wait_until_serving(process, port)


def popular_theme(port: int, actor: str) -> str:
    """The theme (below the top level) with most of the actor's items, read from the facets."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request("GET", f"/api/v1/items/facets/?actor={actor}")
    facets = json.loads(connection.getresponse().read())
    return max(facets["theme"], key=lambda t: t["count"] if "/" in t["path"] else 0)["slug"]


def scenarios(actor: str, theme: str, word: str) -> list[tuple[str, str]]:
    return [
        ("1 status page of 50", "/api/v1/items/?status=in_progress&page_size=50"),
        ("2 made_by AND theme, 50", f"/api/v1/items/?made_by={actor}&theme={theme}&page_size=50"),
        ("2b actor (either) AND theme, 50", f"/api/v1/items/?actor={actor}&theme={theme}&page_size=50"),
        ("3 full-text word, 50 by id", f"/api/v1/items/?q={word}&ordering=id&page_size=50"),
        ("3b full-text word, 50 by rank", f"/api/v1/items/?q={word}&page_size=50"),
        ("4 facets for an actor", f"/api/v1/items/facets/?actor={actor}"),
    ]


def wrk(port: int, path: str, duration: int, connections: int, script: str | None) -> tuple[float, float, float]:
    url = f"http://127.0.0.1:{port}{path}"
    command = ["wrk", f"-t{connections}", f"-c{connections}", "--timeout", "30s", f"-d{duration}s", "--latency"]
    if script:
        command += ["-s", script]
    out = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout  # noqa: S603

    def millis(label: str) -> float:
        value = re.search(rf"^\s+{label}\s+([\d.]+)(us|ms|s)\s*$", out, re.MULTILINE)
        number, unit = float(value.group(1)), value.group(2)
        return number / 1000 if unit == "us" else number * 1000 if unit == "s" else number

    if re.search(r"Non-2xx or 3xx responses: (\d+)", out):
        raise SystemExit(f"errors from {url}:\n{out}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)), millis("50%"), millis("99%")


def summary(runs: list[tuple[float, float, float]]) -> str:
    rates = [run[0] for run in runs]
    median = sorted(runs)[len(runs) // 2]
    return f"{statistics.median(rates):5.0f} ({min(rates):.0f}-{max(rates):.0f})  {median[1]:5.1f} / {median[2]:5.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--before", type=Path, required=True, help="Checkout of the old code (with its .venv).")
    parser.add_argument("--before-db", required=True, help="PostgreSQL URL of the old code's database.")
    parser.add_argument("--after", type=Path, default=Path("."), help="Checkout of the new code (default: here).")
    parser.add_argument("--after-db", required=True, help="PostgreSQL URL of the new code's database.")
    parser.add_argument("--ports", default="8765,8766", help="Two ports on 127.0.0.1 for the two servers.")
    parser.add_argument("--rounds", type=int, default=3, help="Interleaved rounds per scenario and pass.")
    parser.add_argument("--duration", type=int, default=10, help="Seconds of wrk per measurement.")
    parser.add_argument("--connections", type=int, default=2)
    parser.add_argument("--actor", default="syn-actor-000", help="Actor slug (000 is the most popular).")
    parser.add_argument("--word", default="trade")
    parser.add_argument("--only", default="", help="Only scenarios whose name starts with this.")
    args = parser.parse_args()

    ports = [int(port) for port in args.ports.split(",")]
    sides = [("before", args.before.resolve(), args.before_db), ("after", args.after.resolve(), args.after_db)]
    servers = [start(root, url, port) for (_, root, url), port in zip(sides, ports, strict=True)]
    try:
        theme = popular_theme(ports[0], args.actor)
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
            lua.write(UNIQUE_LUA)
        print(f"actor {args.actor}, theme {theme}, word {args.word}; {args.rounds} rounds of {args.duration} s")
        print(f"{'scenario':32} {'pass':9} {'before req/s, p50/p99 ms':30} {'after req/s, p50/p99 ms':30} ratio")
        for name, path in scenarios(args.actor, theme, args.word):
            if args.only and not name.startswith(args.only):
                continue
            path = urllib.parse.quote(path, safe="/?=&")
            for label, script in (("computed", lua.name), ("repeated", None)):
                runs: dict[str, list] = {"before": [], "after": []}
                for _ in range(args.rounds):
                    for (side, _, _), port in zip(sides, ports, strict=True):
                        runs[side].append(wrk(port, path, args.duration, args.connections, script))
                before, after = (statistics.median(r[0] for r in runs[side]) for side in ("before", "after"))
                ratio = f"{after / before:.2f}" if before else "-"  # wrk says 0 when no request finished
                print(
                    f"{name:32} {label:9} {summary(runs['before']):30} {summary(runs['after']):30} {ratio}",
                    flush=True,
                )
        Path(lua.name).unlink()
    finally:
        for server in servers:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)


if __name__ == "__main__":
    main()

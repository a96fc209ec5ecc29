"""Reading-view benchmark: one document with N citations, rendered by the public page `/documents/<slug>/`.

The document is a generated text of short sentences; every item cites one sentence, every third a
second, longer quote spanning it and the next two (so quotes overlap, nest and touch), and a
boilerplate span and a section every 500 sentences. Rows are bulk-created (no history, no save()),
then the page is requested through Django's test client (anonymous, DEBUG off, the whole
middleware stack and the template) and the median of `--repeat` requests is reported (wall clock,
and the process's CPU time, which waits for a busy machine's cores less), next to the
time of `tracker.reading.segments` alone and of a reference loop (the machine's speed at that moment).
Objects alive before the requests are frozen out of garbage collection, as gunicorn.conf.py does in
the server's workers.

    .venv/bin/python benchmarks/reading_benchmark.py --citations 5000,10000,20000

Without DATABASE_URL a fresh SQLite file in a temporary folder is used.
"""

import argparse
import gc
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SENTENCE = "Sentence {n} asks the governments of the region to act on border control. "


def build_document(citations: int, slug: str = "reading-bench"):
    """A document with `citations` citations (about 3 per 2 items) over overlapping and adjacent quotes."""
    import hashlib

    from tracker.enums import DocumentKind, ItemKind
    from tracker.models import BoilerplateSpan, Citation, Document, Item, Section

    sentences = citations  # one sentence per short citation, plus spare room for the long ones
    starts, parts, offset = [], [], 0
    for n in range(sentences + 3):
        sentence = SENTENCE.format(n=n)
        starts.append(offset)
        parts.append(sentence)
        offset += len(sentence)
    starts.append(offset)
    text = "".join(parts)
    document = Document.objects.create(
        slug=slug,
        reference_prefix=slug.upper(),
        title="Reading benchmark",
        kind=DocumentKind.STRATEGY,
        sha256=hashlib.sha256(text.encode()).hexdigest(),
        text=text,
    )
    # Boilerplate every 500 sentences (never cited below), a section every 500 sentences.
    boiler = set(range(250, sentences, 500))
    BoilerplateSpan.objects.bulk_create(
        BoilerplateSpan(document=document, start=starts[n], end=starts[n + 1], label="Share buttons") for n in boiler
    )
    Section.objects.bulk_create(
        Section(document=document, number=str(k + 1), heading=f"Part {k + 1}", start=starts[n], end=starts[n + 1])
        for k, n in enumerate(range(0, sentences, 500))
    )
    spans = []
    for n in range(sentences):
        if len(spans) >= citations:
            break
        if n in boiler:
            continue
        spans.append((starts[n], starts[n + 1] - 1))  # one sentence, the trailing space left out
        if n % 3 == 0 and len(spans) < citations and not boiler & {n + 1, n + 2}:
            spans.append((starts[n] + 9, starts[n + 3] - 1))  # overlaps and contains the next two
    prefix = slug.upper()
    items = Item.objects.bulk_create(
        Item(kind=ItemKind.RECOMMENDATION, reference=f"{prefix}-{i:06d}", document=document, title=f"I{i}", text="-")
        for i in range(len(spans))
    )
    Citation.objects.bulk_create(
        Citation(item=item, document=document, start=start, end=end, quote=text[start:end])
        for item, (start, end) in zip(items, spans, strict=True)
    )
    return document


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--citations", default="5000,10000,20000", help="comma-separated citation counts")
    parser.add_argument("--repeat", type=int, default=5, help="requests per size (the median is shown)")
    args = parser.parse_args()

    folder = tempfile.mkdtemp(prefix="reading-bench-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{folder}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from tracker.models import Citation
    from tracker.reading import CitedSpan, segments

    call_command("migrate", verbosity=0)
    client = Client()
    columns = ("citations", 9), ("segments", 8), ("page bytes", 10), ("segments()", 10), ("request median", 14)
    print(" ".join(f"{name:>{width}}" for name, width in (*columns, ("max", 7), ("CPU median", 10), ("ref", 6))))
    for size in (int(s) for s in args.citations.split(",")):
        document = build_document(size, slug=f"reading-bench-{size}")
        url = f"/documents/{document.slug}/"
        spans = [
            CitedSpan(c.start, c.end, c.id, c.item.reference)
            for c in Citation.objects.filter(document=document).select_related("item")
        ]
        client.get(url)  # warm-up: templates loaded, URL patterns compiled
        gc.freeze()  # as gunicorn.conf.py does after loading the application, so as a worker serves
        started = time.perf_counter()
        parts = segments(document.text, citations=spans)
        cut = time.perf_counter() - started
        timings, cpu = [], []
        for _ in range(args.repeat):
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            timings.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
            assert response.status_code == 200, response.status_code
        print(
            f"{len(spans):>9} {len(parts):>8} {len(response.content):>10} {cut:>9.3f}s "
            f"{statistics.median(timings):>13.3f}s {max(timings):>6.3f}s {statistics.median(cpu):>9.3f}s "
            f"{reference_loop():>5.3f}s"
        )


def reference_loop() -> float:
    """The machine's speed right now (it is shared): the README's single-threaded reference loop, 120-140 ms
    when the machine is quiet."""
    started = time.perf_counter()
    sum(i * i for i in range(2_000_000))
    return time.perf_counter() - started


if __name__ == "__main__":
    main()

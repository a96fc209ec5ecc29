"""Extraction time on pathological 5 MB documents (issue 11.7): each must extract in under 10 s.

Shapes: 100,000 bullets that share their first words (the twin merge was quadratic), "Mr. "
repeated (no sentence ends), unbalanced quotation marks, one paragraph of 10,000+ sentences, a long
line with no spaces, and 200,000 short numbered sections (every block looked its section up by a scan
of all of them). Usage: python benchmarks/extraction_pathological.py [--size 5000000] [--only NAME]
[--kind strategy]. Times are wall-clock and CPU (process) seconds: on a shared machine the CPU time
is the one that says what the extraction costs.
"""

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from corpus_import.extract import extract_document  # noqa: E402
from corpus_import.records import DocumentMeta  # noqa: E402

LIMIT_SECONDS = 10.0


def _fill(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


def shapes(size: int) -> dict[str, str]:
    """The shapes of issue 11.7 at ``size`` characters each."""
    count = max(1, size // 50)  # 100,000 bullets of 50 characters in 5 MB
    bullets = "".join(f"- Countries of the region should open post {i}.\n".rjust(50) for i in range(count))
    sentence = (
        "The governments of the region must adopt new legislation on small arms and light weapons, "
        "register every firearm held by state institutions, publish the results of each collection campaign, "
        "and report to their parliaments on the destruction of surplus ammunition, while NATO will continue "
        "to support Kosovo and Serbia in the dialogue facilitated by the European Union and its member states "
        "with experts, equipment, training and the funds that their border police services need. "
    )
    sentences = _fill(sentence, size)  # one paragraph: 10,000 sentences of about 500 characters in 5 MB
    sections, total, number = [], 0, 0
    while total < size:  # about 25 characters each: 200,000 sections in 5 MB, numbered 1.1.1 to 99.99.99
        number += 1
        label = f"{number // 9801 % 99 + 1}.{number // 99 % 99 + 1}.{number % 99 + 1}"
        sections.append(f"{label} Part\n\nNote.\n\n")
        total += len(sections[-1])
    return {
        "shared-first-words-bullets": "Recommendations\n\nWe propose the following measures:\n\n" + bullets[:size],
        "mr-repeated": _fill("Mr. ", size),
        "unbalanced-quotes": _fill('He said "the EU must act and “NATO will help ', size),
        "one-paragraph-of-sentences": sentences,
        "no-spaces": _fill("a", size),
        "many-short-sections": "".join(sections)[:size],
    }


def run(size: int, only: str | None = None, kinds=("strategy", "news_article"), report=None) -> dict:
    results = {}
    for kind in kinds:
        for name, text in shapes(size).items():
            if only and name != only:
                continue
            meta = DocumentMeta(Path(f"{name}.txt"), name, "BENCH", name, kind, publisher="Benchmark Institute")
            started, cpu = time.perf_counter(), time.process_time()
            document = extract_document(meta, text)
            results[f"{name} ({kind})"] = (
                time.perf_counter() - started,
                time.process_time() - cpu,
                len(document.items),
            )
            if report:
                report(f"{name} ({kind})", *results[f"{name} ({kind})"])
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=5_000_000, help="characters per document")
    parser.add_argument("--only", help="run one shape")
    parser.add_argument("--kind", action="append", help="document kind(s) (default: strategy and news_article)")
    args = parser.parse_args()
    failed = []

    def report(name: str, seconds: float, cpu: float, items: int) -> None:
        verdict = "ok" if seconds < LIMIT_SECONDS else "TOO SLOW"
        if seconds >= LIMIT_SECONDS:
            failed.append(name)
        print(f"{name:45} {seconds:7.2f} s wall {cpu:7.2f} s CPU {items:7d} items  {verdict}", flush=True)

    run(args.size, args.only, tuple(args.kind or ("strategy", "news_article")), report)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Dump everything the extraction gives, to compare two versions of it byte for byte.

For the bundled corpus and the development set (each document in its own kind and as a strategy and a
news article) and for every shape of benchmarks/extraction_pathological.py (in all document kinds):
the sections, boilerplate spans and new actors, then every item with all its fields (citations,
actors, themes, explanation), one JSON line each. A change meant to keep the output (a speed-up) must
leave the file identical.

Usage: python scripts/dump_extraction.py OUT [--size 200000]
       (then, after the change, again to OUT2, and ``cmp OUT OUT2``)
"""

import argparse
import dataclasses
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from extraction_pathological import shapes  # noqa: E402

from corpus_import.extract import extract_document  # noqa: E402
from corpus_import.records import DOCUMENT_KINDS, DocumentMeta  # noqa: E402
from corpus_import.sources import load_corpus  # noqa: E402


def _line(value) -> str:
    return json.dumps(value, ensure_ascii=False, default=str) + "\n"


def dump(out, label: str, document) -> None:
    out.write(f"=== {label}\n")
    out.write(_line([dataclasses.asdict(section) for section in document.sections]))
    out.write(_line([dataclasses.asdict(span) for span in document.boilerplate]))
    out.write(_line([dataclasses.asdict(actor) for actor in document.new_actors]))
    for item in document.items:
        out.write(_line(dataclasses.asdict(item)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--size", type=int, default=200_000, help="characters of each pathological shape")
    args = parser.parse_args()
    with args.out.open("w", encoding="utf-8") as out:
        for source in (ROOT / "corpus", ROOT / "tests" / "data" / "devset"):
            for meta, text in load_corpus(source):
                for kind in dict.fromkeys((meta.kind, "strategy", "news_article")):
                    dump(out, f"{meta.slug} ({kind})", extract_document(dataclasses.replace(meta, kind=kind), text))
        for name, text in shapes(args.size).items():
            for kind in DOCUMENT_KINDS:
                meta = DocumentMeta(Path(f"{name}.txt"), name, "BENCH", name, kind, publisher="Benchmark Institute")
                dump(out, f"{name} ({kind})", extract_document(meta, text))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Turn tests/data/devset/annotations.source.toml (items written as quotes) into annotations.json with
exact character offsets, in the format of tests/data/annotations.json.

Usage: python scripts/build_devset_annotations.py [--devset tests/data/devset]
"""

import argparse
import json
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from corpus_import.sources import load_corpus  # noqa: E402


def _slugs(value: str) -> list[str]:
    return [slug.strip() for slug in value.split(",") if slug.strip()]


def _span(text: str, quote: str, where: str) -> dict:
    start = text.find(quote)
    if start < 0 or text.find(quote, start + 1) >= 0:
        raise SystemExit(f"{where}: quote must occur exactly once: {quote[:80]!r}")
    return {"start": start, "end": start + len(quote), "quote": quote}


def build(devset: Path) -> dict:
    source = tomllib.loads((devset / "annotations.source.toml").read_text(encoding="utf-8"))
    texts = {meta.slug: (meta, text) for meta, text in load_corpus(devset)}
    documents = {}
    for slug, entry in source.items():
        meta, text = texts[slug]
        items = [
            {
                "kind": kind,
                "made_by": _slugs(made_by),
                "addressed_to": _slugs(addressed_to),
                "themes": _slugs(themes),
                "spans": [_span(text, quote, slug)],
            }
            for kind, made_by, addressed_to, themes, quote in entry["items"]
        ]
        documents[slug] = {
            "file": meta.path.name,
            "genre": entry["genre"],
            "heldout": entry.get("heldout", False),
            "items": items,
            "borderline": [_span(text, quote, slug) for quote in entry.get("borderline", [])],
        }
    return {"documents": documents}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--devset", type=Path, default=ROOT / "tests" / "data" / "devset", help="devset folder")
    args = parser.parse_args()
    annotations = build(args.devset)
    (args.devset / "annotations.json").write_text(
        json.dumps(annotations, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    print(sum(len(d["items"]) for d in annotations["documents"].values()), "items")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Score the extraction against the hand annotation in tests/data/annotations.json.

Matching rule (the one the tracker's quality targets use): an extracted item matches an annotated
item when one of its citations covers at least half of one of the annotated spans. Precision is the
share of extracted items (in annotated documents) that match some annotated item; recall the share
of annotated items matched by some extracted item. On matched pairs, addressed_to recall and theme
recall are the shares of annotated actors/themes that the extracted item also has.

Themes are compared at the level ANNOTATION.md annotates them: a sub-objective counts for its
objective (``building-trust`` for Conflict Prevention), on both sides. Spans listed as
``borderline`` in an annotation (fine to extract, never required) count neither way.

Usage: python scripts/evaluate_extraction.py [--corpus corpus] [--annotations tests/data/annotations.json]
       [--devset] [--by-genre] [-v]
  --devset: also score the development set (tests/data/devset), held-out documents apart.
"""

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from corpus_import.extract import extract_document  # noqa: E402
from corpus_import.records import ItemRecord  # noqa: E402
from corpus_import.sources import load_corpus  # noqa: E402
from tracker.taxonomy import objective_of  # noqa: E402

DEVSET = ROOT / "tests" / "data" / "devset"


@dataclass
class Scores:
    extracted: int = 0
    extracted_matched: int = 0
    annotated: int = 0
    annotated_matched: int = 0
    addressed_expected: int = 0
    addressed_found: int = 0
    themes_expected: int = 0
    themes_found: int = 0

    def add(self, other: "Scores") -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @staticmethod
    def _ratio(part: int, whole: int) -> float:
        return part / whole if whole else 1.0

    @property
    def precision(self) -> float:
        return self._ratio(self.extracted_matched, self.extracted)

    @property
    def recall(self) -> float:
        return self._ratio(self.annotated_matched, self.annotated)

    @property
    def addressed_recall(self) -> float:
        return self._ratio(self.addressed_found, self.addressed_expected)

    @property
    def theme_recall(self) -> float:
        return self._ratio(self.themes_found, self.themes_expected)


def covers(item: ItemRecord, span: dict) -> bool:
    length = span["end"] - span["start"]
    return any(min(c.end, span["end"]) - max(c.start, span["start"]) >= length / 2 for c in item.citations)


def matches(item: ItemRecord, expected: dict) -> bool:
    return any(covers(item, span) for span in expected["spans"])


def _objectives(themes) -> set[str]:
    return {objective_of(theme) for theme in themes}


def score_document(
    items: tuple[ItemRecord, ...], expected_items: list[dict], verbose: bool = False, borderline: list[dict] = ()
) -> Scores:
    borderline_items = [{"spans": [span]} for span in borderline]
    items = tuple(
        item
        for item in items
        if any(matches(item, exp) for exp in expected_items) or not any(matches(item, b) for b in borderline_items)
    )
    scores = Scores(extracted=len(items), annotated=len(expected_items))
    scores.extracted_matched = sum(any(matches(item, exp) for exp in expected_items) for item in items)
    for expected in expected_items:
        found = [item for item in items if matches(item, expected)]
        if not found:
            if verbose:
                print(f"    MISSED  {expected['spans'][0]['quote'][:110]}")
            continue
        scores.annotated_matched += 1
        best = found[0]
        scores.addressed_expected += len(expected["addressed_to"])
        scores.addressed_found += len(set(expected["addressed_to"]) & set(best.addressed_to))
        wanted_themes = _objectives(expected["themes"])
        scores.themes_expected += len(wanted_themes)
        scores.themes_found += len(wanted_themes & _objectives(best.themes))
        missing_actors = set(expected["addressed_to"]) - set(best.addressed_to)
        if verbose and (missing_actors or wanted_themes - _objectives(best.themes)):
            print(
                f"    PARTIAL {best.text[:80]}\n"
                f"            to {best.addressed_to} want {expected['addressed_to']}"
                f" | themes {best.themes} want {expected['themes']}"
            )
    if verbose:
        for item in items:
            if not any(matches(item, exp) for exp in expected_items):
                print(f"    EXTRA   {item.text[:110]}")
    return scores


def evaluate(corpus: Path, annotations: Path, verbose: bool = False) -> dict[str, Scores]:
    expected = json.loads(annotations.read_text(encoding="utf-8"))["documents"]
    results: dict[str, Scores] = {}
    for meta, text in load_corpus(corpus):
        if meta.slug not in expected:
            continue
        if verbose:
            print(f"== {meta.slug}")
        document = extract_document(meta, text)
        entry = expected[meta.slug]
        results[meta.slug] = score_document(document.items, entry["items"], verbose, entry.get("borderline", []))
    return results


def annotation_info(annotations: Path) -> dict[str, dict]:
    """Per document: its genre (devset) or kind, and whether it is held out."""
    documents = json.loads(annotations.read_text(encoding="utf-8"))["documents"]
    return {slug: {"genre": d.get("genre", ""), "heldout": d.get("heldout", False)} for slug, d in documents.items()}


def _print_table(title: str, rows: list[tuple[str, Scores]]) -> None:
    total = Scores()
    print(f"{title:44} {'extr':>5} {'annot':>5} {'prec':>6} {'recall':>6} {'addr-R':>6} {'theme-R':>7}")
    for name, scores in [*rows, ("TOTAL", total)]:
        if name != "TOTAL":
            total.add(scores)
        print(
            f"{name[:44]:44} {scores.extracted:5d} {scores.annotated:5d} "
            f"{scores.precision:6.3f} {scores.recall:6.3f}"
            f" {scores.addressed_recall:6.3f} {scores.theme_recall:7.3f}"
        )
    print()


def _by_genre(results: dict[str, Scores], info: dict[str, dict]) -> list[tuple[str, Scores]]:
    genres: dict[str, Scores] = {}
    for slug, scores in results.items():
        genres.setdefault(info[slug]["genre"] or slug, Scores()).add(scores)
    return sorted(genres.items())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus", help="manifest folder or file")
    parser.add_argument("--annotations", type=Path, default=ROOT / "tests" / "data" / "annotations.json")
    parser.add_argument("--devset", action="store_true", help="also score tests/data/devset (held-out apart)")
    parser.add_argument("--by-genre", action="store_true", help="add per-genre tables for the development set")
    parser.add_argument("-v", "--verbose", action="store_true", help="list missed, extra and partial items")
    args = parser.parse_args()
    _print_table("bundled corpus", list(evaluate(args.corpus, args.annotations, args.verbose).items()))
    if args.devset:
        annotations = DEVSET / "annotations.json"
        info = annotation_info(annotations)
        results = evaluate(DEVSET, annotations, args.verbose)
        for heldout, title in ((False, "development set (seen while building)"), (True, "held out (written after)")):
            rows = [(slug, scores) for slug, scores in results.items() if info[slug]["heldout"] == heldout]
            if rows:
                _print_table(title, rows)
                if args.by_genre:
                    part = dict(rows)
                    _print_table(f"{title}, per genre", _by_genre(part, info))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

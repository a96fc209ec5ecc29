"""Score the extraction against the hand annotation in tests/data/annotations.json.

Matching rule (the one the tracker's quality targets use): an extracted item matches an annotated
item when one of its citations covers at least half of one of the annotated spans. Precision is the
share of extracted items (in annotated documents) that match some annotated item; recall the share
of annotated items matched by some extracted item. On matched pairs, addressed_to recall and theme
recall are the shares of annotated actors/themes that the extracted item also has.

Usage: python scripts/evaluate_extraction.py [--corpus corpus]
       [--annotations tests/data/annotations.json] [-v]
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


def score_document(items: tuple[ItemRecord, ...], expected_items: list[dict], verbose: bool = False) -> Scores:
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
        scores.themes_expected += len(expected["themes"])
        scores.themes_found += len(set(expected["themes"]) & set(best.themes))
        if verbose and (
            set(expected["addressed_to"]) - set(best.addressed_to) or set(expected["themes"]) - set(best.themes)
        ):
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
        results[meta.slug] = score_document(document.items, expected[meta.slug]["items"], verbose)
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus", help="manifest folder or file")
    parser.add_argument("--annotations", type=Path, default=ROOT / "tests" / "data" / "annotations.json")
    parser.add_argument("-v", "--verbose", action="store_true", help="list missed, extra and partial items")
    args = parser.parse_args()
    results = evaluate(args.corpus, args.annotations, args.verbose)
    total = Scores()
    header = f"{'document':40} {'extr':>5} {'annot':>5} {'prec':>6} {'recall':>6} {'addr-R':>6} {'theme-R':>7}"
    print(header)
    for slug, scores in [*results.items(), ("TOTAL", total)]:
        if slug != "TOTAL":
            total.add(scores)
        print(
            f"{slug:40} {scores.extracted:5d} {scores.annotated:5d} "
            f"{scores.precision:6.3f} {scores.recall:6.3f}"
            f" {scores.addressed_recall:6.3f} {scores.theme_recall:7.3f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Re-annotate the bundled corpus's addressees to ANNOTATION.md, where its rules are mechanical.

tests/data/annotations.json predates ANNOTATION.md. This writes tests/data/annotations_v2.json with
three of ANNOTATION.md's addressee rules applied to the hand annotation (items, spans and themes are
unchanged; every change is listed with -v):

1. "the implicit addressee of laws, legislation, national strategies and state policies" is National
   governments: an item annotated only with the default (Countries of the region) whose quote is
   about law, legislation or a national strategy gets National governments instead.
2. "Target groups are added when the item is specifically about them": Roma, Minorities, Youth when
   the quote names them.
3. "A pledge of the maker's own action is addressed to the maker": a commitment annotated with no
   addressee gets its maker (the organisation, not the person).

Then the hand corrections in tests/data/annotations_v2_corrections.json replace the addressees and/or
themes of the items they name (document and first span start, checked against the quote's start):
read from the texts against ANNOTATION.md where the mechanical result is wrong, each with its reason.
Hand-reviewed: every item of the three short documents (statement, two news articles) and every item
of the strategy, addressees and themes (README "What the import extracts, and how well"). The
strategy's items reviewed and left unchanged are listed in tests/data/annotations_v2_reviewed.json;
this script checks that each names one item and none is also corrected.

Usage: python scripts/reannotate_bundled.py [-v]
"""

import argparse
import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "tests" / "data" / "annotations.json"
TARGET = ROOT / "tests" / "data" / "annotations_v2.json"
CORRECTIONS = ROOT / "tests" / "data" / "annotations_v2_corrections.json"
REVIEWED = ROOT / "tests" / "data" / "annotations_v2_reviewed.json"

_LAW_RE = re.compile(
    r"\b(?:laws?|legislation|legislative|legal framework|national (?:security )?strateg\w*"
    r"|security and defen[cs]e strateg\w*|state polic\w*)\b",
    re.IGNORECASE,
)
_TARGETS = (
    ("roma", re.compile(r"\bRoma\b")),
    ("minorities", re.compile(r"\bminorit\w*", re.IGNORECASE)),
    ("youth", re.compile(r"\b(?:youth|young people)\b", re.IGNORECASE)),
)
_PEOPLE = {"jaap-de-hoop-scheffer", "mark-rutte", "condoleezza-rice", "milorad-dodik", "vitaly-churkin"}


def reannotate(verbose: bool = False) -> dict:
    data = json.loads(SOURCE.read_text(encoding="utf-8"))
    for slug, document in data["documents"].items():
        for item in document["items"]:
            quote = " ".join(span["quote"] for span in item["spans"])
            before = list(item["addressed_to"])
            implicit = not re.search(r"\bcountries\b|\bstates\b", quote, re.IGNORECASE)  # no subject named
            if item["addressed_to"] == ["countries-of-the-region"] and implicit and _LAW_RE.search(quote):
                item["addressed_to"] = ["national-governments"]
            for target, pattern in _TARGETS:
                if pattern.search(quote) and target not in item["addressed_to"]:
                    item["addressed_to"].append(target)
            if item["kind"] == "commitment" and not item["addressed_to"]:
                item["addressed_to"] = [maker for maker in item["made_by"] if maker not in _PEOPLE][:1]
            if verbose and before != item["addressed_to"]:
                print(f"{slug}: {before} -> {item['addressed_to']}: {quote[:90]}")
    _apply_corrections(data, verbose)
    _check_reviewed(data)
    return data


def _named_item(data: dict, document: str, start: int, quote_starts: str) -> dict:
    items = data["documents"][document]["items"]
    (item,) = [i for i in items if i["spans"][0]["start"] == start]  # exactly one, or fail
    if not item["spans"][0]["quote"].startswith(quote_starts):
        raise ValueError(f"{document}@{start}: the quote differs")
    return item


def _apply_corrections(data: dict, verbose: bool) -> None:
    for correction in json.loads(CORRECTIONS.read_text(encoding="utf-8"))["corrections"]:
        item = _named_item(data, correction["document"], correction["start"], correction["quote_starts"])
        for field in ("addressed_to", "themes"):
            if field in correction:
                if verbose and item[field] != correction[field]:
                    where = f"{correction['document']}@{correction['start']}"
                    print(f"{where} {field}: {item[field]} -> {correction[field]}")
                item[field] = list(correction[field])


def _check_reviewed(data: dict) -> None:
    """Reviewed-unchanged entries name real items, and no item is both corrected and unchanged."""
    corrections = json.loads(CORRECTIONS.read_text(encoding="utf-8"))["corrections"]
    corrected = {(c["document"], c["start"]) for c in corrections}
    for document, entries in json.loads(REVIEWED.read_text(encoding="utf-8"))["documents"].items():
        for entry in entries:
            _named_item(data, document, entry["start"], entry["quote_starts"])
            if (document, entry["start"]) in corrected:
                raise ValueError(f"{document}@{entry['start']}: both corrected and listed as unchanged")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="list every change")
    args = parser.parse_args()
    TARGET.write_text(json.dumps(reannotate(args.verbose), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

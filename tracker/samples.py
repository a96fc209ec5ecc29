"""Sample assessments from the bundled corpus's own evidence (corpus/sample_assessments.toml).

Each entry names an item by its document and a phrase of its text, and an evidence passage of a
later document by its exact quote; loading is idempotent (an entry already loaded is skipped)
and all or nothing.
"""

import tomllib
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from corpus_import.errors import ImportInputError
from corpus_import.manifest import parse_published
from tracker.enums import Status
from tracker.history import SAMPLES
from tracker.models import Document, Item, StatusUpdate
from tracker.services import record_status_update


@dataclass
class SampleReport:
    created: list[str]
    skipped: int


def load_sample_assessments(path: Path | str) -> SampleReport:
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ImportInputError(path, f"cannot read the sample assessments: {exc}") from None
    report = SampleReport(created=[], skipped=0)
    with transaction.atomic():
        for number, entry in enumerate(data.get("assessments", []), start=1):
            _load_one(path, number, entry, report)
    return report


def _load_one(path: Path, number: int, entry: dict, report: SampleReport) -> None:
    def fail(message: str, field: str) -> ImportInputError:
        return ImportInputError(path, f"assessment #{number}: {message}", field=field)

    try:
        item_spec, evidence_spec = entry["item"], entry["evidence"]
        status, assessed_on = entry["status"], entry["assessed_on"]
        note, assessed_by = entry["note"].strip(), entry["assessed_by"].strip()
    except KeyError as exc:
        raise fail(f"missing field {exc.args[0]!r}", exc.args[0]) from None
    if status not in Status.values:
        raise fail(f"unknown status {status!r}", "status")
    try:
        day, _precision = parse_published(assessed_on)
    except ValueError as exc:
        raise fail(str(exc), "assessed_on") from None
    items = list(Item.objects.filter(document__slug=item_spec["document"], text__contains=item_spec["text"])[:2])
    if len(items) != 1:
        found = "no item" if not items else "more than one item"
        raise fail(f"{found} of {item_spec['document']!r} has the text {item_spec['text']!r}", "item")
    document = Document.objects.filter(slug=evidence_spec["document"]).first()
    start = document.text.find(evidence_spec["quote"]) if document else -1
    if start < 0:
        raise fail(f"the quote is not in the document {evidence_spec['document']!r}", "evidence")
    item = items[0]
    if StatusUpdate.objects.filter(item=item, is_sample=True, evidence_quote=evidence_spec["quote"]).exists():
        report.skipped += 1
        return
    record_status_update(
        item=item,
        status=status,
        assessed_on=day,
        note=f"{note}\n\nSample assessment by {assessed_by}.",
        evidence_document=document,
        evidence_start=start,
        evidence_end=start + len(evidence_spec["quote"]),
        is_sample=True,
        origin=SAMPLES,
    )
    report.created.append(item.reference)

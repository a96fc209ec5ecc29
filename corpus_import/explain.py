"""Readable explanations of an extraction: for each item, the rule that made it and why each actor and
theme was given (``import_corpus --explain``; the admin item page shows the same stored trace). Pure."""

from .records import ExtractedDocument, ItemRecord

QUOTE_MAX = 110


def explain_item(item: ItemRecord) -> list[str]:
    trace = item.explanation or {}
    quote = item.text if len(item.text) <= QUOTE_MAX else item.text[: QUOTE_MAX - 1] + "…"
    trigger = f" on {trace['trigger']!r}" if trace.get("trigger") else ""
    lines = [
        f"{item.kind} ({item.strength}) by rule {trace.get('rule', '?')}{trigger}, {trace.get('unit', '?')}"
        f" cut by {trace.get('cut', '?')}: {quote}",
        f"    title: {item.title}",
    ]
    for label in ("made_by", "addressed_to", "themes"):
        reasons = trace.get(label) or {}
        given = ", ".join(f"{slug} ({reasons.get(slug, 'given')})" for slug in getattr(item, label)) or "none"
        lines.append(f"    {label}: {given}")
    for merged in trace.get("merged", ()):
        lines.append(f"    merged: the same item in section {merged['section']} (similarity {merged['similarity']})")
    return lines


def explain_document(document: ExtractedDocument) -> list[str]:
    lines = [f"== {document.meta.slug}: {len(document.items)} items"]
    for number, item in enumerate(document.items, start=1):
        first, *rest = explain_item(item)
        lines.append(f"[{number}] {first}")
        lines.extend(rest)
    for actor in document.new_actors:
        parent = f", speaks for {actor.parent}" if actor.parent else ""
        lines.append(f"new actor (flagged for review): {actor.slug} = {actor.name!r}, kind {actor.kind}{parent}")
    return lines

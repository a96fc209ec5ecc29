"""Stage 5 of the extraction: the same item stated twice (an executive summary repeated in the
conclusions) becomes one item with several citations. Pure Python.

Candidates are grouped by their first four words and compared (word-level similarity) only within a
group, and only against MAX_COMPARISONS earlier members of it, so a document of 100,000 bullets that
share their first words stays linear.
"""

import difflib
import re
from dataclasses import dataclass, field

TWIN_RATIO = 0.8
MAX_COMPARISONS = 8
_TOKEN_RE = re.compile(r"[a-z0-9]+")


@dataclass(slots=True)
class Candidate:
    start: int
    end: int
    kind: str
    strength: str
    made_by: tuple[str, ...]
    addressed_to: tuple[str, ...]
    themes: tuple[str, ...]
    section: object  # SectionRecord | None
    is_bullet: bool
    title: str
    explanation: dict
    extra_citations: list[tuple[int, int, str | None]] = field(default_factory=list)


def tokens(text: str) -> list[str]:
    return _TOKEN_RE.findall(text.lower())


def merge_twins(text: str, candidates: list[Candidate]) -> list[Candidate]:
    groups: dict[tuple[str, ...], list[int]] = {}
    words = [tokens(text[c.start : c.end]) for c in candidates]
    merged_into: dict[int, int] = {}
    for index, candidate in enumerate(candidates):
        key = tuple(words[index][:4])
        members = groups.setdefault(key, [])
        for first in members[-MAX_COMPARISONS:]:
            a = candidates[first]
            if a.section is candidate.section or a.is_bullet != candidate.is_bullet:
                continue
            if a.section and candidate.section and a.section.number == candidate.section.number:
                continue
            ratio = difflib.SequenceMatcher(None, words[first], words[index], autojunk=False).ratio()
            if ratio >= TWIN_RATIO:
                number = candidate.section.number if candidate.section else None
                a.extra_citations.append((candidate.start, candidate.end, number))
                a.explanation.setdefault("merged", []).append(
                    {"section": number, "similarity": round(ratio, 2), "rule": "twin in another section"}
                )
                merged_into[index] = first
                break
        if index not in merged_into:
            members.append(index)
    return [candidate for index, candidate in enumerate(candidates) if index not in merged_into]

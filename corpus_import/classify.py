"""Stage 3 of the extraction: is a unit an item, and by which rule?

Each rule is a structure of the text, with its words taken from ``vocabulary``:

- ``preambular-clause``: a resolution's "Recalling ...," / "Noting ...," clause: never an item.
- ``operative-clause``: a clause that opens with an operative verb ("Calls upon", "Requests",
  "Decides to establish", "Urges"): made by the issuing body.
- ``imperative-bullet``: a list bullet that opens with a verb in the base form ("Adopt ...").
- ``recommendation-list``: any bullet of a list whose lead-in announces recommendations, proposals
  or measures (nominal bullets: "Establishment of ...").
- ``commitment-verb``: a pledge, intention or call ("reaffirms", "will", "calls on", "urged"); "will"
  only with a subject that can act ("The next summit will take place" is not an item), "would" only
  in reported speech ("said his government would").
- ``modal``: a recommending modal or frame ("should", "must", "it is essential", "need to"), unless it
  sits in a relative clause or an aside ("which must be seen in context", "it must be noted").
- ``author-view``: a strategy's authors stating what should happen ("We believe that ...").
- ``recommendation-section``: a sentence in a "Recommendations" section of an article.
Refusals also carry their rule (``not-item-verb``, ``background-list``, ``background-section``,
``no-speech-act``), so ``--explain`` can say why a sentence was not taken. Pure Python.
"""

import re
from collections import deque
from dataclasses import dataclass

from . import vocabulary
from .units import Unit

RECOMMENDING_KINDS = frozenset({"strategy", "report"})
_NUMBER_RE = re.compile(r"\s*(?:\d{1,3}[.)]\s*)?")
_FIRST_WORDS_RE = re.compile(r"[A-Za-z][\w'-]*")
_NOT_IMPERATIVE_AFTER = frozenset({"for", "of", "and", "to", "is", "are", "was", "has", "in", "on", "with"})
_SUBJECT_CUT_RE = re.compile(r"[,;:(]")
_CLAUSE_END_RE = re.compile(r"[,;:]")
COMPLEMENT_WINDOW = 80  # characters after "asked" searched for what is asked for (bounded: linear)


@dataclass(frozen=True, slots=True)
class Decision:
    """What the classifier says about a unit. ``kind`` is None for a refusal."""

    kind: str | None  # recommendation | commitment (a speaker pledges or calls) | None
    rule: str
    trigger_start: int = 0  # absolute offsets of the words that decided
    trigger_end: int = 0
    strength: str = "should"
    commitment: bool = False  # a commitment verb decided (the maker is a speaker, not the author)

    @property
    def is_item(self) -> bool:
        return self.kind is not None


_REFUSALS: dict[str, Decision] = {}


def _refuse(rule: str) -> Decision:
    # A refusal is its rule alone (and frozen): one record per rule, not one per refused unit.
    refusal = _REFUSALS.get(rule)
    if refusal is None:
        refusal = _REFUSALS[rule] = Decision(None, rule)
    return refusal


def first_modal(text: str, start: int, end: int) -> re.Match[str] | None:
    """The first recommending modal of ``text[start:end]`` that is not in a relative clause or an aside."""
    frames = vocabulary.frames()
    if not vocabulary.has_hint(text, start, end, vocabulary.modal_hints()):
        return None
    for match in vocabulary.finditer_caseless(frames.modal, text, start, end):  # the same matches, cheaper
        window = text[max(start, match.start() - 25) : min(end, match.end() + 40)]
        aside = frames.not_a_recommendation
        if not (vocabulary.may_match(aside, window) and aside.search(window)):
            return match
    return None


def modal_strength(match: re.Match[str]) -> str:
    # The alternatives are the top-level groups m<i>: the one that matched is the last group to close.
    group = match.lastgroup
    if group is None or not group.startswith("m") or not match.group(group):
        group = next(name for name, value in match.groupdict().items() if value)
    return vocabulary.frames().modals[int(group[1:])][1]


def _subject(text: str, clause_start: int, verb_start: int) -> str:
    cuts = [m.end() for m in _SUBJECT_CUT_RE.finditer(text, clause_start, verb_start)]
    subject = text[cuts[-1] if cuts else clause_start : verb_start]
    if len(subject.split()) > 10:
        subject = " ".join(subject.split()[-10:])
    return subject


def _can_act(text: str, clause_start: int, verb_start: int, *, after_wish: bool = False) -> bool:
    """The subject before a "will" is an actor or a body, not an event ("The next summit will ..."). After a wish
    ("We hope the talks will resume") only an actor named there counts: a pronoun there is not the speaker acting."""
    frames = vocabulary.frames()
    subject = _subject(text, clause_start, verb_start)
    if after_wish and not subject.strip(" ,").removeprefix("that ").strip():
        return False
    return not (frames.event_subject.search(subject) and not frames.acting_subject.search(subject))


def commitment_verb(text: str, start: int, end: int) -> re.Match[str] | None:
    """The first pledge or call verb of the clause that counts here (see the module docstring)."""
    acts = vocabulary.speech_acts()
    if not vocabulary.has_hint(text, start, end, vocabulary.commitment_hints()):
        return _possessive_commitment(text, start, end)
    reported = acts.reporting.search(text, start, end)
    for match in acts.commitments.finditer(text, start, end):
        phrase = re.sub(r"\s+", " ", match.group(0).lower())
        if phrase == "would" and not (reported and reported.start() < match.start()):
            continue
        if phrase in ("will", "would"):
            match = _pledge(text, start, match, end)
            if match is None:
                continue
        if phrase in ("will", "would") and acts.predictions.search(text, start, match.start()):
            continue  # "believes that the accession will contribute": a prediction
        if phrase in ("will", "would") and acts.hedges.match(text, match.end(), end):
            continue  # "the economy will probably grow": a forecast, not a pledge
        if phrase in acts.calls_with_complement and not _has_complement(text, match.end(), end):
            continue  # "Asked about the bridge, he replied": a question, not a call
        return match
    return _possessive_commitment(text, start, end)


_NOTHING_AFTER_RE = re.compile(r"""\s*(?:[.!?,;:"”’)]|$)""")


def _pledge(text: str, start: int, match: re.Match[str], end: int) -> re.Match[str] | None:
    """The trigger of a "will"/"would" that promises something, or None: its subject (the words after a wish: "hope
    that X will") can act, it is not "We will see." nor a refusal foretold of others ("They will never accept
    this."). After a wish the wish is the trigger: the one who hopes makes the item, the actor hoped for is asked."""
    acts = vocabulary.speech_acts()
    verb_start, after = match.start(), match.end()
    wish = None
    if vocabulary.may_match(acts.wishes, text[start:verb_start]):
        wish = deque(acts.wishes.finditer(text, start, verb_start), maxlen=1)  # the last wish before the verb
        wish = wish[0] if wish else None
    if wish is not None:
        if not _can_act(text, wish.end(), verb_start, after_wish=True):
            return None
    elif match.group(0).lower() == "will" and not _can_act(text, start, verb_start):
        return None
    idle = acts.noncommittal.match(text, after, end)
    if idle and (_NOTHING_AFTER_RE.match(text, idle.end(), end) or acts.question_words.match(text, idle.end(), end)):
        return None
    if acts.refusals.match(text, after, end) and (
        _subject(text, start, verb_start).strip(" \"“‘'").lower() in acts.third_persons
    ):
        return None
    return wish or match


def _has_complement(text: str, start: int, end: int) -> bool:
    """What a call asks for ("to ...", "for ...") follows it within its clause (up to a comma or colon), and
    it is not a question ("asked about ...", "asked whether ...")."""
    acts = vocabulary.speech_acts()
    if acts.question_words.match(text, start, end):
        return False
    stop = min(end, start + COMPLEMENT_WINDOW)
    cut = _CLAUSE_END_RE.search(text, start, stop)
    return acts.call_complement.search(text, start, cut.start() if cut else stop) is not None


def _possessive_commitment(text: str, start: int, end: int) -> re.Match[str] | None:
    pattern = vocabulary.frames().possessive_commitment
    return pattern.search(text, start, end) if vocabulary.may_match(pattern, text[start:end]) else None


def _not_item_verb_before(text: str, start: int, trigger: int) -> bool:
    """A reaction verb ("welcomes", "notes", "condemns", "denied") governs the clause before its trigger."""
    not_items = vocabulary.speech_acts().not_items
    if not vocabulary.may_match(not_items, text[start:trigger]):
        return False
    match = not_items.search(text, start, trigger)
    return match is not None and not re.search(r"\band\b|;", text[match.end() : trigger])


CACHED_UNIT_MAX = 300  # characters of a unit (with those before it that it reads) whose decision is remembered
MEMO_MAX = 4096  # decisions remembered per document


def classify(text: str, unit: Unit, document_kind: str, memo: dict | None = None) -> Decision:
    """The decision about ``unit``. ``memo``: a dict kept for one document, where a unit that repeats one
    seen before (the same text, with the character before it, and the same place in the layout) takes that
    unit's decision, its offsets moved: 200,000 sections that each hold "Note." are classified once."""
    if memo is None:
        return _classify(text, unit, document_kind)
    key = _memo_key(text, unit, document_kind)
    if key is None:
        return _classify(text, unit, document_kind)
    known = memo.get(key)
    if known is None:
        decision = _classify(text, unit, document_kind)
        if len(memo) >= MEMO_MAX:
            memo.clear()  # bounded: a document of distinct units keeps the last few thousand
        memo[key] = (decision, unit.start)
        return decision
    decision, origin = known
    if decision.kind is None or origin == unit.start:
        return decision  # a refusal has no offsets
    shift = unit.start - origin
    return Decision(
        decision.kind,
        decision.rule,
        decision.trigger_start + shift,
        decision.trigger_end + shift,
        decision.strength,
        decision.commitment,
    )


def _memo_key(text: str, unit: Unit, document_kind: str) -> tuple | None:
    """Everything ``_classify`` reads of the text and the unit. The searches run from the unit's start (from its
    sentence's for a semicolon clause) to its end, and their word boundaries look one character back; the
    rest is the unit's place: its kind and cut, its block's last character, its list's lead-in, its section's
    heading. None for a unit too long to remember."""
    first = unit.start
    if unit.cut == "semicolon-clause" and 0 <= unit.sentence_start < first:
        first = unit.sentence_start
    low = first - 1 if first > 0 else 0
    if unit.end - low > CACHED_UNIT_MAX:
        return None
    lead_in, section = unit.lead_in, unit.section
    # The heading counts only for the recommendation-section rule: a sentence of six words or more (at least 11
    # characters) outside a strategy. Elsewhere sections with different headings share their decisions.
    heading = section is None
    if not heading and unit.kind == "sentence" and document_kind not in RECOMMENDING_KINDS:
        heading = section.heading if unit.end - unit.start >= 11 else False
    return (
        text[low : unit.end],
        unit.start - low,
        first - low,
        document_kind,
        unit.kind,
        unit.cut,
        unit.background,
        unit.start == unit.block_start,
        unit.numbered,
        text[unit.block_end - 1],
        None if lead_in is None else (lead_in.background, lead_in.announces_items),
        heading,
    )


def _classify(text: str, unit: Unit, document_kind: str) -> Decision:
    acts = vocabulary.speech_acts()
    frames = vocabulary.frames()
    if unit.background:
        return _refuse("background-section")
    body_start = unit.start + _NUMBER_RE.match(text, unit.start, unit.end).end() - unit.start
    opening = text[body_start : min(unit.end, body_start + 60)]
    recommending = document_kind in RECOMMENDING_KINDS

    # The cheap tests before the searches whose answer they decide anyway (the same decisions).
    if text[unit.block_end - 1] == "," and acts.preambular.match(opening):
        return _refuse("preambular-clause")
    if unit.lead_in is not None and unit.lead_in.background:
        return _refuse("background-list")

    operative = (unit.kind == "bullet" or unit.start == unit.block_start or unit.numbered) and acts.operative.match(
        text, body_start, unit.end
    )
    if operative:
        phrase = operative.group(0).strip()
        return Decision(
            "commitment",
            "operative-clause",
            operative.start(),
            operative.end(),
            acts.strength_of(phrase, acts.operative_strength),
            True,
        )

    if unit.kind == "bullet":
        # Only the first two words count: not every word of the opening (the second only after an imperative).
        opening_words = text[body_start : min(unit.end, body_start + 80)]
        first = _FIRST_WORDS_RE.search(opening_words)
        verb = first.group(0) if first else ""
        if verb and verb.lower() in acts.imperatives and verb[:1].isupper():
            second = _FIRST_WORDS_RE.search(opening_words, first.end())
            if (second is None or second.group(0).lower() not in _NOT_IMPERATIVE_AFTER) and not re.match(
                r"[^:]{0,60}:",
                text[body_start : unit.end],  # "Enhanced Cooperation: ..." is a label
            ):
                return Decision("recommendation", "imperative-bullet", body_start, body_start + len(verb), "should")

    modal = first_modal(text, unit.start, unit.end)
    commit = None if recommending else commitment_verb(text, unit.start, unit.end)
    if modal is None and commit is None and unit.cut == "semicolon-clause" and unit.sentence_start >= 0:
        # "X will do A; and to do B": the clause's action hangs on the sentence's verb before it.
        modal = first_modal(text, unit.sentence_start, unit.start)
        commit = None if recommending else commitment_verb(text, unit.sentence_start, unit.start)
    if commit is not None and (modal is None or commit.start() <= modal.start()):
        if _not_item_verb_before(text, unit.start, commit.start()):
            return _refuse("not-item-verb")
        phrase = re.sub(r"\s+", " ", commit.group(0).lower())
        return Decision(
            "commitment",
            "commitment-verb",
            commit.start(),
            commit.end(),
            acts.strength_of(phrase, acts.commitment_strength),
            True,
        )
    if modal is not None:
        if _not_item_verb_before(text, unit.start, modal.start()):
            return _refuse("not-item-verb")
        return Decision("recommendation", "modal", modal.start(), modal.end(), modal_strength(modal))
    if recommending:
        view = vocabulary.may_match(frames.author_view, text[unit.start : unit.end]) and frames.author_view.search(
            text, unit.start, unit.end
        )
        if view:
            return Decision("recommendation", "author-view", view.start(), view.end(), "should")
    if unit.kind == "bullet" and unit.lead_in is not None and unit.lead_in.announces_items:
        return Decision("recommendation", "recommendation-list", body_start, body_start, "should")
    if (
        not recommending
        and unit.kind == "sentence"
        and unit.section is not None
        and len(text[unit.start : unit.end].split()) >= 6  # before the search: the same answer, cheaper
        and frames.recommendation_section.search(unit.section.heading)
    ):
        return Decision("recommendation", "recommendation-section", unit.start, unit.start, "should")
    return _refuse("no-speech-act")

"""Extraction: one document's text in, an ``ExtractedDocument`` of cited items out. Pure Python.

What becomes an item:

* Strategies and reports (``kind`` strategy/report): every sentence that recommends an action
  (must / should / have to / need to / it is essential ... / "could" with a proposing verb / new
  bodies the participants propose), every bullet of a list whose lead-in announces recommendations,
  measures or what something "could imply", and every bullet that carries such a modal itself.
  ``made_by`` is the publisher (the strategy speaks for it); ``addressed_to`` is the actor that must
  act, or "countries-of-the-region" when the sentence names none.
* Statements, communiqués and articles: pledges, reaffirmed support, stated intentions and calls on
  others by a named actor (kind commitment, the speaker plus the organisation or state they speak
  for), and the author's own proposals with no named actor (kind proposal, ``made_by`` empty unless
  the publisher is a known actor of a statement or communiqué).
* Never an item: headings, boilerplate, pipe-table rows (a table only summarises the prose around
  it), bullets of background lists (threats, goals, implications, factors), and the sections whose
  top-level heading marks them as background (threats, initiatives, history).

Sentences that join unrelated actions with "; " become one item per clause. Near-identical items
in different sections (an executive summary repeated in the conclusions) are merged into one item
with several citations; other restatements stay separate items.
"""

import difflib
import hashlib
import re
from dataclasses import dataclass, field
from functools import lru_cache

from tracker.taxonomy import THEMES_BY_CODE

from .gazetteer import ACTORS_BY_SLUG, DocumentContext, find_actors, with_parents
from .records import CitationRecord, DocumentMeta, ExtractedDocument, ItemRecord, SectionRecord
from .segment import Block, blocks, find_boilerplate, find_sections, section_at, split_sentences

RECOMMENDING_KINDS = frozenset({"strategy", "report"})
VOICED_KINDS = frozenset({"statement", "communique"})  # the publisher speaks in every sentence
DEFAULT_ADDRESSEE = "countries-of-the-region"
TITLE_MAX = 100
TWIN_RATIO = 0.8

# Recommending modals: (pattern, strength).
_MODALS: tuple[tuple[str, str], ...] = (
    (
        r"\bmust\b|\bshall\b|\bha(?:ve|s) to\b|\bneeds? to\b|\bis needed\b|\bare needed\b"
        r"|\bimperative(?:ly)?\b|\bis a must\b|\bcompulsory\b"
        r"|\bit is (?:essential|necessary|vital|high time)\b|\b(?:is|are) necessary\b"
        r"|\bis to be (?:done|made|taken|developed)\b|\bit is the (?:duty|role) of\b|\bthe duty of\b",
        "must",
    ),
    (
        r"\bshould\b|\bought to\b|\bit is (?:important|crucial|recommended)\b|\bis recommended\b"
        r"|\bis a solution\b"
        r"|\bneed (?:\w+ ){0,2}for\b|\bwould be of great importance\b",
        "should",
    ),
    # "could" proposes with these verbs only ("could lead to" predicts); "can" with fewer still.
    (
        r"\bcould\s+(?:also\s+|better\s+|much\s+|now\s+)?(?:be (?:also )?(?:useful|formed|created|established"
        r"|set up|provided|employed)|contribute|develop|cooperate|do much|avoid|institute|establish|create"
        r"|tackle"
        r"|represent the key|deal with)\b"
        r"|\bcan\s+(?:also\s+|better\s+)?(?:be (?:formed|created|established|set up|employed)|institute"
        r"|establish"
        r"|tackle)\b",
        "could",
    ),
)
_MODAL_RE = re.compile("|".join(f"(?P<m{i}>{pattern})" for i, (pattern, _) in enumerate(_MODALS)), re.IGNORECASE)
# A strategy's authors stating their own position ("We believe that ..., the participants consider").
_AUTHOR_VIEW_RE = re.compile(
    r"\bwe (?:believe|consider|propose|recommend)\b|\bparticipants\b[^.]{0,80}?\b(?:consider|agreed|recommend"
    r"|emphasi[sz]ed|expressed their hope)\b|\bseen by the (?:drafters|participants|authors)\b",
    re.IGNORECASE,
)
# Uses of a modal that recommend nothing: asides about the text itself and relative clauses.
_NOT_A_RECOMMENDATION_RE = re.compile(
    r"\b(?:it|i) must be (?:acknowledged|noted|mentioned|said|recogni[sz]ed|admitted)\b"
    r"|\bmention must be made\b"
    r"|\b(?:which|who|that) needs? to\b|\b(?:which|who|because they) ha(?:ve|s) to\b"
    r"|\b(?:we have|it is necessary) to (?:highlight|note|mention|admit|say|take into account)\b"
    r"|\bwe must not forget\b|\bsomeone (?:\w+ )?has to\b|\bexperience\b[^.;]{0,40}\bcould be useful\b",
    re.IGNORECASE,
)
# Commitment and call verbs of statements and reported speech.
_COMMIT_RE = re.compile(
    r"\breaffirm\w*|\breiterat\w*|\bpledg\w*|\bcall(?:s|ed|ing)? (?:on|upon|for)\b|\burg(?:e|es|ed|ing)\b"
    r"|\badvocate[sd]?\b|\boppos(?:e|es|ed|ing)\b|\bsupports? the\b|\bwill continue\b|\bwould not support\b"
    r"|\bwill (?:act|work|keep|support|provide|help|remain committed)\b|\bencourag\w+|\bunderscored\b"
    r"|\breassur\w+|\baffirm(?:s|ed)?\b"
    r"|\bexpress(?:es|ed)? (?:its|their|his|her) (?:hope|full backing|support)"
    r"|\bemphasi[sz]\w* (?:the|its) (?:need|importance)\b|\bmade (?:it )?clear\b"
    r"|\b(?:remains?|is|are) (?:fully )?(?:prepared|ready|committed)\b"
    r"|(?:’s|'s|\bits|\btheir|\bhis|\bher)\s+[“\"]?(?:\w+\s+){0,2}[“\"]?commitment\b"
)
# Cheap substring tests that rule most sentences out before the regex runs.
_COMMIT_HINTS = (
    "reaffirm",
    "reiterat",
    "pledg",
    "call",
    "urg",
    "advocat",
    "oppos",
    "support",
    "will ",
    "encourag",
    "underscored",
    "reassur",
    "affirm",
    "express",
    "emphasi",
    "clear",
    "prepared",
    "ready",
    "committed",
    "commitment",
)
_MODAL_HINTS = (
    "must",
    "shall",
    "have to",
    "has to",
    "need",
    "imperative",
    "compulsory",
    "it is ",
    "necessary",
    "is to be",
    "duty",
    "should",
    "ought",
    "recommended",
    "solution",
    "importance",
    "could",
    "can ",
)
_COMMIT_STRENGTH_RE = re.compile(r"pledg|will|commit|oppos|prepared|ready|made", re.IGNORECASE)

_LEADIN_BACKGROUND_RE = re.compile(
    r"threat|goals|implications?|categori[sz]|factors|aspects|such as|stand out|summari[sz]|overview",
    re.IGNORECASE,
)
_LEADIN_ITEMS_RE = re.compile(
    r"recommend|must|should|need|measures|impl(?:y|ies)|propos|priorit|initiatives|objectives|strateg|steps"
    r"|actions",
    re.IGNORECASE,
)
_BACKGROUND_SECTION_RE = re.compile(r"\b(?:threats?|initiatives|background|histor(?:y|ical)|overview)\b", re.I)
_RECOMMENDATION_SECTION_RE = re.compile(r"\b(?:recommendations?|proposals?|way forward|next steps)\b", re.I)

_CLAUSE_SPLIT_RE = re.compile(r";\s+(?=(?:and\s+)?(?:to|that)\s)")
_SPEECH_SPLIT_RE = re.compile(r":\s*(?=[“\"])")  # 'saying: "..."' starts a quoted sentence
_PRONOUN_BEFORE_RE = re.compile(r"\b(?:he|she|they|we)\s+(?:\w+\s+){0,2}$", re.IGNORECASE)
_SUBJECT_GAP_RE = re.compile(r"^[^,;:]{0,40}$")
_RELATIVE_GAP_RE = re.compile(r"\b(?:that|which|who|where|of|for|with|to|in)\b", re.IGNORECASE)
_AGENT_BEFORE_RE = re.compile(r"\b(?:by|from|concern of|duty of|role of)\s+(?:all\s+|the\s+)*$", re.IGNORECASE)
_PROPER_NOUN_AFTER_RE = re.compile(r" (?!(?:Commission|Summit|Council|Secretary|Chief)\b)[A-Z][a-z]")
_REPORTING_RE = re.compile(
    r"^\s*(?:\w+\s+)?(?:reiterates|emphasi[sz]es|believes|underlines|stresses|considers"
    r"|says|said|states|stated|notes|insists)\b"
)

_LEADING_FILLER_RE = re.compile(
    r"^(?:(?:therefore|thus|also|however|nevertheless|moreover|additionally|furthermore|secondly|first of all"
    r"|last but not least|on the other hand|in this respect|in this context|to this end|to this point"
    r"|at the same time|in the same time|instead|of course|that is why|this is why|as such|and|but|so)"
    r",?\s+)+",
    re.IGNORECASE,
)
_LEADING_FRAME_RE = re.compile(
    r"^(?:it is (?:essential|important|imperative|crucial|necessary|recommended|high time)\s+(?:to|that)\s+"
    r"|there (?:must|should) (?:also )?be\s+)",
    re.IGNORECASE,
)
_NORMALISE_RE = re.compile(r"\s+")
_TOKEN_RE = re.compile(r"[a-z0-9]+")

# Theme keywords for text outside a themed section (summaries, conclusions, statements).
_THEME_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), slug)
    for pattern, slug in (
        (r"\broma\b", "roma-issue"),
        (r"free trade|trade agreement|customs? union", "free-trade-area"),
        (r"border (?:surveillance|control|security|monitoring)|joint border", "border-monitoring"),
        (r"\bvisas?\b", "visa-regimes"),
        (r"immigra|trafficking in human", "illegal-immigration"),
        (r"\bSALW\b|small arms|landmine", "salw"),
        (
            r"organi[sz]ed crime|corruption|illicit trafficking|law enforcement",
            "organized-crime-and-corruption",
        ),
        (r"terroris", "terrorism"),
        (r"critical infrastructure", "critical-infrastructure"),
        (r"energy security|pipeline", "energy-security"),
        (r"\btransport|air connections|railway|motorway|corridor", "transport-infrastructure"),
        (r"\bhealth\b|pandemic", "health-insurance"),
        (r"ecological agriculture|food security|genetically modified", "ecological-agriculture"),
        (r"natural hazards|disaster|early warning", "natural-hazards"),
        (r"educat|textbook|school|youth emigration", "education-and-research"),
        (r"\bmedia\b", "media-cooperation"),
        (r"\bNGOs?\b|network of (?:NGOs|networks)", "ngo-networks"),
        (r"minorit", "minorities"),
        (r"refugee|displaced", "refugees-and-displaced-persons"),
        (r"rule of law|judicia|\bICTY\b|justice", "rule-of-law"),
        (r"civil(?:ian)? control|parliamentary oversight|democratic oversight", "civilian-control"),
        (
            r"interoperab|\bmilitary\b|\barmy\b|armed forces|defen[cs]e|security sector|net-centric",
            "security-sector-reform",
        ),
        (r"\bpolice\b", "police-demilitarization"),
        (r"peacekeep|\bKFOR\b|Kosovo Force|troops", "peacekeeping"),
        (
            r"normali[sz]ation|both parties|\b(?:status|dialogue|negotiation|talks|settlement|agreement)",
            "kosovo-dialogue",
        ),
        (
            r"NATO (?:member|summit|enlargement|integration|accession|partnership)|Riga|joining the alliance"
            r"|membership aspirations",
            "nato-integration",
        ),
        (
            r"accession|EU (?:membership|integration|market|accession)"
            r"|integration (?:of .{0,40})?into the (?:EU|bloc|European Union)|European perspective|Copenhagen"
            r"|European Union membership|integration in the EU",
            "eu-integration",
        ),
        (
            r"NATO and (?:the )?EU|Euro-?\s?Atlantic (?:integration|structures|institutions)",
            "euro-atlantic-integration",
        ),
        (r"democra|human rights|equality|freedoms", "democracy-and-human-rights"),
        (
            r"confidence|(?<!-)\btrust\b|reconciliation|cross-cultural|regional cooperation"
            r"|neighbo(?:u)?ring countries as"
            r"|dialogue|understanding in the region",
            "building-trust",
        ),
        (r"territorial integrity|secession|recognition of borders", "territorial-disputes"),
        (
            r"security and stability|stability and security|lasting peace|hard-won peace",
            "conflict-prevention",
        ),
    )
)


# Status, talks and agreements are the Kosovo dialogue only where Kosovo (or normalisation) is named.
_KOSOVO_CONTEXT_RE = re.compile(r"kosovo|normali[sz]ation|both parties")


@dataclass
class _Candidate:
    start: int
    end: int
    kind: str
    strength: str
    made_by: tuple[str, ...]
    addressed_to: tuple[str, ...]
    themes: tuple[str, ...]
    section: SectionRecord | None
    is_bullet: bool
    extra_citations: list[tuple[int, int, str | None]] = field(default_factory=list)


@dataclass
class _State:
    """What a sentence needs from the sentences before it."""

    last_speaker: str | None = None


def extract_document(meta: DocumentMeta, text: str) -> ExtractedDocument:
    """Extract the items of one document. Offsets are ``str`` indices into ``text``."""
    layout = blocks(text)
    sections = find_sections(text, layout)
    boilerplate = find_boilerplate(text)
    context = DocumentContext(text)
    publisher = _publisher_actors(meta)
    state = _State()
    candidates: list[_Candidate] = []
    lead_in: tuple[str, tuple[str, ...]] | None = None  # (lead-in sentence, actors of its block)

    for index, block in enumerate(layout):
        if block.kind == "heading":
            lead_in = None
            continue
        if block.kind in ("boilerplate", "table"):
            continue
        section = section_at(sections, block.start)
        if _is_background(section, sections):
            _remember_speakers(context, block.start, block.end, state)
            continue
        if block.kind == "bullet":
            candidate = _bullet_candidate(meta, text, block, section, sections, lead_in, publisher, context)
            if candidate:
                candidates.append(candidate)
            continue
        # A sentence ending in ":" that introduces a list or table is a lead-in, not an item.
        next_is_bullet = index + 1 < len(layout) and layout[index + 1].kind in ("bullet", "table")
        units = _units(text, block)
        lead_in = None
        for position, (start, end) in enumerate(units):
            is_last = position == len(units) - 1
            if is_last and next_is_bullet and text[end - 1] == ":":
                lead_in = (text[start:end], _actor_slugs(text, block.start, block.end, context))
                continue
            candidates.extend(
                _sentence_candidates(meta, text, block, start, end, section, sections, publisher, context, state)
            )
            _remember_speakers(context, start, end, state)

    if meta.kind not in RECOMMENDING_KINDS:
        _inherit_document_theme(candidates)
    candidates = _merge_twins(text, candidates)
    items = _to_items(meta, text, candidates)
    return ExtractedDocument(meta, text, sections, boilerplate, tuple(items))


# --- units and candidates ---------------------------------------------------------------------


def _units(text: str, block: Block) -> list[tuple[int, int]]:
    """Sentences of a paragraph, with 'said: "...' quotations started as units of their own."""
    units = []
    for start, end in split_sentences(text, block.content_start, block.end):
        cut = start
        for match in _SPEECH_SPLIT_RE.finditer(text, start, end):
            units.append((cut, match.start() + 1))
            cut = match.end()
        units.append((cut, end))
    return [(s, e) for s, e in units if e > s]


def _sentence_candidates(
    meta, text, block, start, end, section, sections, publisher, context, state
) -> list[_Candidate]:
    sentence = text[start:end]
    recommending = meta.kind in RECOMMENDING_KINDS
    in_recommendation_section = bool(section and _RECOMMENDATION_SECTION_RE.search(section.heading))
    lowered = sentence.lower()
    commit = None if recommending or not any(hint in lowered for hint in _COMMIT_HINTS) else _COMMIT_RE.search(sentence)
    modal = _first_modal(sentence)
    view = (
        _AUTHOR_VIEW_RE.search(sentence)
        if recommending and ("we " in lowered or "participants" in lowered or "seen by" in lowered)
        else None
    )
    trigger_start = min(m.start() for m in (commit, modal, view) if m) if (commit or modal or view) else None
    if trigger_start is None:
        if not (in_recommendation_section and not recommending and len(sentence.split()) >= 6):
            return []
        trigger_start = 0
    trigger_at = start + trigger_start
    quotes = _quote_ranges(text, block.content_start, block.end)  # cached per block

    if recommending:
        kind, made_by = "recommendation", publisher
    else:
        made_by = _speaker(text, start, end, trigger_at, quotes, context, state, commit is not None)
        if not made_by and meta.kind in VOICED_KINDS:
            made_by = publisher
        kind = "commitment" if made_by else "proposal"
    strength = _strength(modal, commit if commit and commit.start() == trigger_start else None)

    clauses = _clauses(text, start, end)
    result = []
    for clause_start, clause_end in clauses:
        addressed = _addressees(
            text,
            clause_start,
            clause_end,
            max(trigger_at, clause_start),
            made_by,
            quotes,
            context,
            default=DEFAULT_ADDRESSEE if recommending else None,
        )
        themes = _themes(text[clause_start:clause_end], section, sections)
        if not themes and not recommending:
            themes = _themes(sentence, section, sections) or _themes(text[block.start : block.end], section, sections)
        result.append(_Candidate(clause_start, clause_end, kind, strength, made_by, addressed, themes, section, False))
    return result


def _bullet_candidate(meta, text, block, section, sections, lead_in, publisher, context) -> _Candidate | None:
    start, end = block.content_start, block.end
    content = text[start:end]
    modal = _first_modal(content)
    commit = _COMMIT_RE.search(content)
    listed = False
    if lead_in is not None:
        sentence, _ = lead_in
        listed = not _LEADIN_BACKGROUND_RE.search(sentence) and bool(_LEADIN_ITEMS_RE.search(sentence))
        if _LEADIN_BACKGROUND_RE.search(sentence) and not listed:
            return None
    if not (listed or modal or commit):
        return None
    recommending = meta.kind in RECOMMENDING_KINDS
    if recommending:
        kind, made_by = "recommendation", publisher
    else:
        lead_actors = lead_in[1] if lead_in else ()
        makers = [
            slug
            for slug in lead_actors
            if ACTORS_BY_SLUG[slug].kind != "group" and ACTORS_BY_SLUG[slug].kind != "state"
        ][:1]
        made_by = with_parents(makers) or (publisher if meta.kind in VOICED_KINDS else ())
        kind = "commitment" if made_by else "proposal"
    if recommending:
        # A nominal bullet ("Appropriate legislative underpinning ...") has no modal: its subject, if any,
        # is in its first words.
        trigger = start + modal.start() if modal else min(end, start + _nth_word_end(content, 10))
        addressed = _addressees(text, start, end, trigger, made_by, [], context, default=DEFAULT_ADDRESSEE)
    else:
        addressed = _addressees(text, start, end, start, made_by, [], context, default=None, whole=True)
    return _Candidate(
        start,
        end,
        kind,
        _strength(modal, commit),
        made_by,
        addressed,
        _themes(content, section, sections),
        section,
        True,
    )


def _clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split "X should do A; to do B; and to do C" into its clauses (each at least five words)."""
    pieces, cut = [], start
    for match in _CLAUSE_SPLIT_RE.finditer(text, start, end):
        if len(text[cut : match.start()].split()) >= 5 and len(text[match.end() : end].split()) >= 5:
            pieces.append((cut, match.start()))
            cut = match.end()
    pieces.append((cut, end))
    return pieces


def _nth_word_end(text: str, count: int) -> int:
    matches = list(re.finditer(r"\S+", text))
    return matches[min(count, len(matches)) - 1].end() if matches else 0


def _first_modal(sentence: str) -> re.Match[str] | None:
    lowered = sentence.lower()
    if not any(hint in lowered for hint in _MODAL_HINTS):
        return None
    for match in _MODAL_RE.finditer(sentence):
        window = sentence[max(0, match.start() - 25) : match.end() + 40]
        if not _NOT_A_RECOMMENDATION_RE.search(window):
            return match
    return None


def _strength(modal: re.Match[str] | None, commit: re.Match[str] | None) -> str:
    if commit is not None:
        return "must" if _COMMIT_STRENGTH_RE.search(commit.group(0)) else "should"
    if modal is None:
        return "should"
    group = next(name for name, value in modal.groupdict().items() if value)
    return _MODALS[int(group[1:])][1]


# --- actors -----------------------------------------------------------------------------------


def _publisher_actors(meta: DocumentMeta) -> tuple[str, ...]:
    for source in (meta.publisher, meta.author):
        hits = [slug for slug, _, _ in find_actors(source) if slug in ACTORS_BY_SLUG]
        if hits:
            return (hits[0],)
    return ()


def _mentions(text: str, start: int, end: int, context: DocumentContext) -> list[tuple[tuple[str, ...], int, int]]:
    return [(context.resolve(slug), s, e) for slug, s, e in context.between(start, end)]


def _actor_slugs(text: str, start: int, end: int, context: DocumentContext) -> tuple[str, ...]:
    slugs: list[str] = []
    for resolved, _, _ in _mentions(text, start, end, context):
        slugs.extend(slug for slug in resolved if slug not in slugs)
    return tuple(slugs)


@lru_cache(maxsize=64)
def _quote_ranges(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Quoted stretches of a paragraph: curly pairs, and straight quotes toggling."""
    ranges, opened = [], None
    for index in range(start, end):
        char = text[index]
        if char == "“" or (char == '"' and opened is None):
            opened = index
        elif (char == "”" or char == '"') and opened is not None:
            ranges.append((opened, index + 1))
            opened = None
    if opened is not None:
        ranges.append((opened, end))
    return ranges


def _inside(position: int, quotes: list[tuple[int, int]]) -> bool:
    return any(start < position < end for start, end in quotes)


def _speaker(text, start, end, trigger_at, quotes, context, state, has_commit_verb) -> tuple[str, ...]:
    mentions = [m for m in _mentions(text, start, end, context) if m[0]]
    outside = [m for m in mentions if not _inside(m[1], quotes)]
    persons = [m for m in outside if m[2] <= trigger_at and _is_person(m[0][0])]
    if _inside(trigger_at, quotes):
        speakers = [m for m in outside if _is_person(m[0][0])]
        if speakers:
            return with_parents(speakers[0][0])
        return with_parents((state.last_speaker,)) if state.last_speaker else ()
    before = [m for m in outside if m[2] <= trigger_at]
    makers: list[str] = []
    if before:
        nearest = before[-1]
        gap = text[nearest[2] : trigger_at]
        if _SUBJECT_GAP_RE.match(gap) and not _RELATIVE_GAP_RE.search(gap) and has_commit_verb:
            makers.extend(nearest[0])
            # Coordinated subjects: "the European Union and the United States have reiterated".
            for earlier, later in zip(reversed(before[:-1]), reversed(before[1:]), strict=False):
                joint = text[earlier[2] : later[1]].strip().lower()
                if joint in ("and", "and the", "as well as", "as well as the"):
                    makers.extend(earlier[0])
                else:
                    break
    if not makers and _PRONOUN_BEFORE_RE.search(text[start:trigger_at]) and state.last_speaker:
        makers.append(state.last_speaker)
    if (
        not makers
        and before
        and before[0][1] - start <= 4
        and (has_commit_verb or _REPORTING_RE.match(text[before[0][2] : end]))
    ):
        makers.extend(before[0][0])  # the sentence's own subject: "The International sends ... and expresses"
    if not makers:
        return ()
    makers = [slug for slug in makers if ACTORS_BY_SLUG.get(slug) and ACTORS_BY_SLUG[slug].kind != "group"]
    for person in persons:
        makers.insert(0, person[0][0])
    return with_parents(makers)


def _addressees(text, start, end, trigger_at, made_by, quotes, context, default, whole=False) -> tuple[str, ...]:
    mentions = [m for m in _mentions(text, start, end, context) if m[0]]
    excluded = set(made_by)
    chosen: list[str] = []

    def add(slugs: tuple[str, ...]) -> None:
        for slug in slugs:
            actor = ACTORS_BY_SLUG.get(slug)
            if slug in excluded or slug in chosen or actor is None:
                continue
            if actor.kind == "person" and actor.parent in excluded:
                continue
            chosen.append(slug)

    if whole or default is None:
        for slugs, s, _ in mentions:
            if default is None and s < trigger_at and not _inside(s, quotes) and not _inside(trigger_at, quotes):
                continue  # before the verb of a statement: the speaker's side, not the addressee
            add(slugs)
        if chosen or default is None:
            return tuple(chosen) or ((default,) if default else ())
    # A recommendation: the subject just before the modal (after the last comma, and not a modifier as in
    # "UN Millennium Development Goals"), or agents after it ("promoted by national governments").
    subject_from = max(start, *(text.rfind(mark, start, trigger_at) for mark in (",", ";", "(", ")")))
    for slugs, s, e in mentions:
        modifier = _PROPER_NOUN_AFTER_RE.match(text, e)
        if (subject_from <= s < trigger_at and not modifier) or (
            s >= trigger_at and _AGENT_BEFORE_RE.search(text[max(start, s - 30) : s])
        ):
            add(slugs)
    if not chosen:  # "... expressed their hope that EU Commission will contribute"
        following = [m for m in mentions if text[max(start, m[1] - 5) : m[1]].strip().lower().endswith("that")]
        for slugs, _, _ in following:
            add(slugs)
    if not chosen:
        add(
            tuple(
                slug
                for slugs, _, _ in mentions
                for slug in slugs
                if ACTORS_BY_SLUG.get(slug) and ACTORS_BY_SLUG[slug].kind in ("group", "civil_society")
            )
        )
    return tuple(chosen) or ((default,) if default else ())


def _is_person(slug: str) -> bool:
    actor = ACTORS_BY_SLUG.get(slug)
    return actor is not None and actor.kind == "person"


def _remember_speakers(context: DocumentContext, start: int, end: int, state: _State) -> None:
    for slug, _, _ in context.between(start, end):
        if _is_person(slug):
            state.last_speaker = slug


# --- sections and themes ----------------------------------------------------------------------


def _is_background(section: SectionRecord | None, sections: tuple[SectionRecord, ...]) -> bool:
    top = _top_level(section, sections)
    return bool(top and _BACKGROUND_SECTION_RE.search(top.heading))


def _top_level(section: SectionRecord | None, sections: tuple[SectionRecord, ...]) -> SectionRecord | None:
    while section is not None and section.parent_number:
        parent = next(
            (
                s
                for s in sections
                if s.number == section.parent_number and s.start <= section.start and section.end <= s.end
            ),
            None,
        )
        if parent is None:
            break
        section = parent
    return section


def _themes(clause: str, section: SectionRecord | None, sections: tuple[SectionRecord, ...]) -> tuple[str, ...]:
    """The deepest themed section's theme; outside themed sections, keyword rules on the clause."""
    current = section
    while current is not None:
        theme = THEMES_BY_CODE.get(current.number)
        if theme:
            return (theme.slug,)
        current = (
            next((s for s in sections if s.number == current.parent_number and s.start <= current.start), None)
            if current.parent_number
            else None
        )
    lowered = clause.lower()
    found = [
        slug
        for pattern, slug in _THEME_RULES
        if pattern.search(clause) and (slug != "kosovo-dialogue" or _KOSOVO_CONTEXT_RE.search(lowered))
    ]
    if "conflict-prevention" in found and len(found) > 1:
        found.remove("conflict-prevention")  # only a fallback when nothing more specific matched
    return tuple(found)


def _inherit_document_theme(candidates: list[_Candidate]) -> None:
    """An article's item with no theme of its own gets the article's dominant theme (a short news item
    about the Kosovo talks is about the Kosovo talks even where a sentence only says "negotiations")."""
    counts: dict[str, int] = {}
    for candidate in candidates:
        for theme in candidate.themes:
            counts[theme] = counts.get(theme, 0) + 1
    if not counts:
        return
    dominant = max(counts, key=lambda theme: (counts[theme], -list(counts).index(theme)))
    for candidate in candidates:
        if not candidate.themes:
            candidate.themes = (dominant,)


# --- merging, keys, titles --------------------------------------------------------------------


def _normalise(text: str) -> str:
    return _NORMALISE_RE.sub(" ", text).strip().lower()


def _merge_twins(text: str, candidates: list[_Candidate]) -> list[_Candidate]:
    """Merge near-identical items from different sections (a summary list repeated in the conclusions).

    Only candidates that share their first four words are compared, so this stays linear in practice.
    """
    groups: dict[tuple[str, ...], list[int]] = {}
    for index, candidate in enumerate(candidates):
        tokens = tuple(_TOKEN_RE.findall(_normalise(text[candidate.start : candidate.end]))[:4])
        groups.setdefault(tokens, []).append(index)
    merged_into: dict[int, int] = {}
    for members in groups.values():
        for position, first in enumerate(members):
            if first in merged_into:
                continue
            a = candidates[first]
            for second in members[position + 1 :]:
                b = candidates[second]
                if second in merged_into or a.section is b.section or a.is_bullet != b.is_bullet:
                    continue
                if a.section and b.section and a.section.number == b.section.number:
                    continue
                # Word-level comparison: as good as character-level here and much cheaper.
                ratio = difflib.SequenceMatcher(
                    None,
                    _TOKEN_RE.findall(_normalise(text[a.start : a.end])),
                    _TOKEN_RE.findall(_normalise(text[b.start : b.end])),
                    autojunk=False,
                ).ratio()
                if ratio >= TWIN_RATIO:
                    a.extra_citations.append((b.start, b.end, b.section.number if b.section else None))
                    merged_into[second] = first
    return [candidate for index, candidate in enumerate(candidates) if index not in merged_into]


def _to_items(meta: DocumentMeta, text: str, candidates: list[_Candidate]) -> list[ItemRecord]:
    items, seen_keys = [], {}
    for candidate in candidates:
        quote = text[candidate.start : candidate.end]
        base = hashlib.sha256(f"{meta.slug}\n{_normalise(quote)}".encode()).hexdigest()[:16]
        seen_keys[base] = seen_keys.get(base, 0) + 1
        key = base if seen_keys[base] == 1 else f"{base}-{seen_keys[base]}"
        section_number = candidate.section.number if candidate.section else None
        citations = [(candidate.start, candidate.end, section_number), *candidate.extra_citations]
        records = []
        for start, end, number in citations:
            record = CitationRecord(start, end, text[start:end], number)
            assert record.quote == text[record.start : record.end] and record.quote.strip() == record.quote
            records.append(record)
        items.append(
            ItemRecord(
                key=key,
                kind=candidate.kind,
                title=make_title(quote),
                text=quote,
                strength=candidate.strength,
                made_by=tuple(candidate.made_by),
                addressed_to=tuple(candidate.addressed_to),
                themes=candidate.themes,
                citations=tuple(records),
                section_number=section_number,
            )
        )
    return items


def make_title(sentence: str, limit: int = TITLE_MAX) -> str:
    """A short human-readable title: discourse fillers and "It is essential to" dropped, capped on a word."""
    title = _NORMALISE_RE.sub(" ", sentence).strip().strip("“”\"'")
    title = _LEADING_FILLER_RE.sub("", title)
    title = _LEADING_FRAME_RE.sub("", title)
    if ":" in title[:60] and len(title) > limit:
        title = title.split(":", 1)[0]  # "Diplomatic Engagement: Facilitating ..." -> its label
    title = title.rstrip(" .;,:")
    if len(title) > limit:
        cut = title[:limit].rsplit(" ", 1)[0].rstrip(" ,;:-–—")
        title = cut + "…"
    title = title[:1].upper() + title[1:]
    return title or sentence.strip()[:limit] or "Untitled item"

"""The per-unit work of the extraction, cut without changing a result (issue 11.7, the 5 MB shapes).

Each test pins one saving: work done once that was done twice or per repetition, a search skipped when
the words it needs are absent (never when it could match), the garbage collector paused and restored.
"""

import gc
import random
import re
from pathlib import Path

import pytest

from corpus_import import attribute, segment, units, vocabulary
from corpus_import.extract import extract_document
from corpus_import.records import DocumentMeta
from corpus_import.segment import blocks, find_boilerplate, find_sections

ROOT = Path(__file__).resolve().parent.parent
CORPUS_TEXTS = sorted((ROOT / "corpus").glob("*.txt"))


def _patterns():
    acts, frames = vocabulary.speech_acts(), vocabulary.frames()
    found = {
        "not_a_recommendation": frames.not_a_recommendation,
        "modal": frames.modal,
        "not_items": acts.not_items,
        "commitments": acts.commitments,
        "author_view": frames.author_view,
        "possessive_commitment": frames.possessive_commitment,
        "coordinated": units._coordinated_re(),
    }
    for index, (pattern, _) in enumerate(vocabulary.implicit_addressees()):
        found[f"implicit-{index}"] = pattern
    for index, pattern in enumerate(frames.titles):
        found[f"title-{index}"] = pattern
    return found


@pytest.mark.parametrize("name", sorted(_patterns()))
def test_may_match_never_refuses_a_text_the_pattern_matches(name):
    """Sound: on every sentence-sized window of the corpus (and on random ones) a refusal means no match."""
    pattern = _patterns()[name]
    rng = random.Random(7)
    refused = 0
    for path in CORPUS_TEXTS:
        text = path.read_text(encoding="utf-8")
        windows = [text[m.start() : m.end()] for m in re.finditer(r"[^.\n]{1,400}[.\n]?", text)]
        windows += [text[i : i + rng.randint(1, 200)] for i in (rng.randrange(len(text)) for _ in range(300))]
        for window in windows:
            if not vocabulary.may_match(pattern, window):
                refused += 1
                assert pattern.search(window) is None, (name, window)
    assert refused  # and it does refuse: most windows lack the words


def test_may_match_refuses_without_the_words_and_accepts_with_them():
    aside = vocabulary.frames().not_a_recommendation
    assert not vocabulary.may_match(aside, "Countries of the region should open post 12.")
    assert vocabulary.may_match(aside, "It must be noted that the region should act.")
    assert aside.search("It must be noted that the region should act.")
    # Non-ASCII text is always searched: case folding there is not lower() (the Kelvin sign folds to "k").
    assert vocabulary.may_match(aside, "Countries of the region should open post 12 – now.")


def test_required_words_of_an_alternation():
    pattern = re.compile(r"\b(?:national\s+strateg(?:y|ies)|legal framework)\b", re.IGNORECASE)
    assert vocabulary.required_words(pattern) == (
        (("national",), ("strateg",), ("ies", "y")),
        (("legal framework",),),
    )
    assert vocabulary.required_words(re.compile(r"\w+|x")) is None  # an alternative needs no literal


def test_boilerplate_labels_and_headings_worked_out_once_per_line(monkeypatch):
    """blocks and find_boilerplate each asked boilerplate_label of every line, blocks and find_sections
    heading_of of every heading line: now once per distinct line for the three."""
    text = "".join(f"{i // 99 + 1}.{i % 99 + 1} Part\n\nNote.\n\n" for i in range(300))
    calls = {"boilerplate_label": 0, "heading_of": 0}
    for name in calls:
        original = getattr(segment, name)

        def counted(line, _original=original, _name=name):
            calls[_name] += 1
            return _original(line)

        monkeypatch.setattr(segment, name, counted)
    layout = blocks(text)
    find_sections(text, layout)
    find_boilerplate(text)
    distinct = {line for line in text.splitlines() if line}
    assert calls["boilerplate_label"] <= len(distinct) + 1  # the empty line once too
    assert calls["heading_of"] <= len(distinct)


def test_repeated_sentences_cut_once_with_their_own_offsets():
    sentence = "The governments must adopt the law; and to report on it to the parliament each year."
    text = f"{sentence} {sentence}\n\n- {sentence}\n"
    first = units.split_clauses(text, 0, len(sentence))
    second = units.split_clauses(text, len(sentence) + 1, 2 * len(sentence) + 1)
    assert len(first) == 2
    assert [(s + len(sentence) + 1, e + len(sentence) + 1, r) for s, e, r in first] == second
    assert first == units._split_clauses_at(text, 0, len(sentence))  # the uncached cut, the same


def _meta(kind="strategy"):
    return DocumentMeta(Path("x.txt"), "x", "BENCH", "x", kind, publisher="Benchmark Institute")


def test_extraction_pauses_the_garbage_collector_and_restores_it(monkeypatch):
    seen = []
    original = segment.find_boilerplate

    def spy(text):
        seen.append(gc.isenabled())
        return original(text)

    monkeypatch.setattr("corpus_import.extract.find_boilerplate", spy)
    assert gc.isenabled()
    extract_document(_meta(), "Recommendations\n\nThe governments should adopt the law.\n")
    assert seen == [False] and gc.isenabled()
    gc.disable()
    try:
        extract_document(_meta(), "The governments should adopt the law.\n")
        assert not gc.isenabled()  # left as the caller had it
    finally:
        gc.enable()


def test_theme_fallback_is_the_same_from_the_cache():
    from corpus_import.attribute import ThemeMatcher
    from tracker.taxonomy import THEMES

    clauses = ["Countries of the region should open post 1.", "Countries of the region should open post 2."]
    cached = ThemeMatcher(THEMES)
    for clause in clauses * 2:
        assert cached.fallback(clause) == ThemeMatcher(THEMES).fallback(clause)
    assert len(cached._fallbacks) == 1  # the same theme words: one entry


def test_a_printable_text_has_no_whitespace_but_single_spaces():
    """What the shortcut of extract._normalise and make_title rests on, over all of Unicode."""
    assert all(not chr(code).isprintable() for code in range(0x110000) if chr(code).isspace() and code != 32)
    from corpus_import.attribute import make_title
    from corpus_import.extract import _NORMALISE_RE, _normalise

    for text in ("A  b", "A\u00a0b", "a\tb\n", " The EU should act. ", "x\u2028y", "Plain text here."):
        assert _normalise(text) == _NORMALISE_RE.sub(" ", text).strip().lower()
    assert make_title("The  governments\u00a0should adopt\nthe law.") == "The governments should adopt the law"


def _vocabulary_patterns():
    acts, frames = vocabulary.speech_acts(), vocabulary.frames()
    found = {name: getattr(acts, name) for name in ("operative", "preambular", "not_items", "commitments")}
    found |= {name: getattr(acts, name) for name in ("reporting", "predictions")}
    for name in ("modal", "author_view", "not_a_recommendation", "possessive_commitment", "leading_filler"):
        found[name] = getattr(frames, name)
    for name in ("leadin_background", "leadin_items", "background_section", "recommendation_section"):
        found[name] = getattr(frames, name)
    found |= {f"title-{index}": pattern for index, pattern in enumerate(frames.titles)}
    found |= {f"implicit-{index}": pattern for index, (pattern, _) in enumerate(vocabulary.implicit_addressees())}
    found["process"] = attribute._PROCESS_RE
    return found


def _spans(matches):
    return [(match.regs, match.lastgroup) for match in matches]


@pytest.mark.parametrize("name", sorted(_vocabulary_patterns()))
def test_caseless_search_finds_what_the_case_insensitive_pattern_finds(name):
    """On ASCII text (the corpus made ASCII, in its own case, upper case and title case), the case-sensitive
    search of the lower-cased text gives the same matches, groups included, over the whole text and windows."""
    pattern = _patterns().get(name) or _vocabulary_patterns()[name]
    assert vocabulary.lowered_search(pattern) is not None  # every vocabulary pattern qualifies
    rng = random.Random(11)
    matched = 0
    for path in CORPUS_TEXTS + sorted((ROOT / "tests" / "data" / "devset").glob("*.txt")):
        ascii_text = path.read_text(encoding="utf-8").encode("ascii", "ignore").decode()
        for text in (ascii_text, ascii_text.upper(), ascii_text.title()):
            bounds = [(0, len(text))] + [
                (start, min(len(text), start + rng.randint(1, 300))) for start in rng.sample(range(len(text)), 60)
            ]
            for start, end in bounds:
                expected = _spans(pattern.finditer(text, start, end))
                assert _spans(vocabulary.finditer_caseless(pattern, text, start, end)) == expected, (start, end)
                first = vocabulary.search_caseless(pattern, text, start, end)
                assert _spans([first] if first else []) == expected[:1]
                piece = text[start:end]  # on its own: the anchored patterns match at its start
                alone = _spans(pattern.finditer(piece))
                assert _spans(vocabulary.finditer_caseless(pattern, piece, 0, len(piece))) == alone, piece
                matched += len(expected) + len(alone)
            for sentence in re.finditer(r"[^.\n]{1,400}", text):  # the sentences on their own, as titles are
                piece = sentence.group(0).strip()
                alone = _spans(pattern.finditer(piece))
                assert _spans(vocabulary.finditer_caseless(pattern, piece, 0, len(piece))) == alone, piece
                matched += len(alone)
    assert matched


def test_caseless_search_keeps_the_pattern_where_folding_could_differ():
    mixed = re.compile(r"\bEU\b|[A-Z]{2}", re.IGNORECASE)  # upper-case letters: lower() would lose them
    assert vocabulary.lowered_search(mixed) is None
    assert vocabulary.lowered_search(re.compile("must")) is None  # case-sensitive already
    assert vocabulary.lowered_search(re.compile(r"(?-i:x)y", re.IGNORECASE)) is None
    modal = vocabulary.frames().modal
    text = "The Kelvin sign \u212a: they MUST act."  # not ASCII: the pattern itself, on the text itself
    assert [m.span() for m in vocabulary.finditer_caseless(modal, text, 0, len(text))] == [
        m.span() for m in modal.finditer(text)
    ]


def test_lines_split_on_newlines_as_splitlines_does():
    """The lines of a text with no line break but "\\n" come from str.split; any other break takes the
    splitlines() path: the same spans and texts either way."""
    rng = random.Random(3)
    for index in range(3000):
        alphabet = "ab |\n" if index % 2 else "ab \n\r\x0b\x0c\x1c\x85\u2028-"
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        expected, pos = [], 0
        for line in text.splitlines(keepends=True):
            expected.append((pos, pos + len(line.rstrip("\r\n"))))
            pos += len(line)
        assert segment.line_spans(text) == expected, text
        assert segment._lines(text)[1] == [text[start:end] for start, end in expected]


def test_a_repeated_unit_is_classified_once_and_takes_the_same_decision(monkeypatch):
    """classify's memo: every decision equals the one worked out afresh (the corpus twice in one text, so the
    second copy's units are remembered ones at other offsets), and 300 sections of "Note." cost one."""
    from corpus_import import classify as classify_module

    text = CORPUS_TEXTS[0].read_text(encoding="utf-8")
    text = f"{text}\n\n{text}"
    layout = blocks(text)
    sections = find_sections(text, layout)
    memo: dict = {}
    found = units.build_units(text, layout, sections, lambda section: False)
    for kind in ("strategy", "statement", "news_article"):
        memo.clear()
        for unit in found:
            assert classify_module.classify(text, unit, kind, memo) == classify_module._classify(text, unit, kind)
    assert any(decision.is_item for decision, _ in memo.values())

    calls = []
    original = classify_module._classify
    monkeypatch.setattr(classify_module, "_classify", lambda *args: calls.append(args) or original(*args))
    notes = "".join(f"{i // 99 + 1}.{i % 99 + 1} Part {i}\n\nNote.\n\n" for i in range(300))  # distinct headings
    extract_document(_meta("news_article"), notes)
    assert len(calls) == 1


def test_the_documents_lower_case_copy_is_made_once_and_kept_over_short_texts():
    """The copy is the document's (one lower() of it for all its units); short texts in between do not evict it."""
    document = "Countries of the region should open post 1. " * 200
    first = vocabulary.lowered(document)
    assert first == document.lower()
    assert vocabulary.lowered("They must act.") == "they must act."
    assert vocabulary.lowered(document) is first
    assert vocabulary.lowered("Les États doivent agir.") is None  # not ASCII: the pattern itself, on the text


def test_extraction_forgets_the_documents_line_table_and_lower_case_copy():
    """Memory stays bounded between documents: nothing of the last one is kept once it is extracted."""
    text = "".join(f"{i // 99 + 1}.{i % 99 + 1} Part\n\nThe region should act {i}.\n\n" for i in range(300))
    extract_document(_meta("news_article"), text)
    assert segment._line_table.cache_info().currsize == 0 and segment._headings.cache_info().currsize == 0
    assert vocabulary._LOWERED == ("", "")

from pathlib import Path

from corpus_import.segment import blocks, find_boilerplate, find_sections, split_sentences

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def _read(name: str) -> str:
    return (CORPUS / name).read_text(encoding="utf-8")


def _sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text, 0, len(text))]


def test_split_sentences_missing_space_after_full_stop():
    text = "tensions between Kosovo and Serbia.During a recent visit, he spoke."
    assert _sentences(text) == ["tensions between Kosovo and Serbia.", "During a recent visit, he spoke."]


def test_split_sentences_in_corpus_region_during():
    text = _read("nato-stoltenberg-western-balkans.txt")
    first_line = text[: text.index("\n")]
    sentences = _sentences(first_line)
    assert sentences[0].endswith("between Kosovo and Serbia.")
    assert sentences[1].startswith("During a recent visit to the region")


def test_split_sentences_keeps_abbreviations_and_closing_quotes():
    text = 'EU, U.S., and Russian mediators met. Rice said "never." Then a.o. by others. Kept, a.o. Next one.'
    assert _sentences(text) == [
        "EU, U.S., and Russian mediators met.",
        'Rice said "never."',
        "Then a.o. by others.",
        "Kept, a.o.",
        "Next one.",
    ]


def test_split_sentences_offsets_are_exact():
    text = "  First one.Second one!  Third?  "
    spans = split_sentences(text, 0, len(text))
    assert [text[s:e] for s, e in spans] == ["First one.", "Second one!", "Third?"]


def test_blocks_bullet_markers_are_skipped():
    text = "Intro:\n- dash item\n· middle dot item\n-no space item\n  - indented item\n"
    bullets = [b for b in blocks(text) if b.kind == "bullet"]
    assert [text[b.content_start : b.end] for b in bullets] == [
        "dash item",
        "middle dot item",
        "no space item",
        "indented item",
    ]


def test_blocks_table_rows_are_tables():
    text = "Factors | impact on Peace |\n---|---|\nDiplomatic Engagement | essential |\n"
    assert {b.kind for b in blocks(text)} == {"table"}


def test_blocks_aligned_rows_without_separator_are_a_table():
    text = "Initiative | Objective | Outcome |\nFestivals | Engagement | Understanding |\nSchools | Youth | Trust |\n"
    assert [b.kind for b in blocks(text)] == ["table"] * 3


def test_blocks_prose_line_with_pipes_is_not_a_table():
    text = "Ministers agreed | in principle | that the border must open.\n\nNext line.\n"
    assert [b.kind for b in blocks(text)] == ["paragraph", "paragraph"]
    two_rows = "Left | right | more\nAnother | line | here\n"  # two rows, no separator: not enough structure
    assert "table" not in {b.kind for b in blocks(two_rows)}


def test_find_sections_numbered_with_duplicate_and_executive_summary():
    text = _read("ata-2006-regional-security-strategy.txt")
    sections = find_sections(text)
    numbers = [s.number for s in sections]
    assert numbers[:2] == ["ES", "1"]
    assert numbers.count("2.5") == 2
    first, second = [s for s in sections if s.number == "2.5"]
    assert (first.heading, second.heading) == ("Environmental Threats", "Informational Threats")
    assert first.end <= second.start
    by_number = {s.number: s for s in sections}
    assert by_number["4.3.1"].heading == "Monitoring and Surveillance"
    assert by_number["4.3.1"].parent_number == "4.3"
    assert text[by_number["4.3.1"].start :].startswith("4.3.1. Monitoring and Surveillance")
    assert by_number["ES"].end <= by_number["1"].start
    assert "4.10.2" in numbers and "5" in numbers


def test_find_sections_unnumbered_headings_get_generated_numbers():
    text = _read("nato-stoltenberg-western-balkans.txt")
    sections = find_sections(text)
    assert [s.number for s in sections] == ["1", "2", "3", "4", "5", "6", "7"]
    assert sections[0].heading == "NATO Chief Emphasizes commitment to Stability in the Western Balkans"
    assert sections[-1].heading == "To Wrap It Up"


def test_find_boilerplate_web_article():
    text = _read("rferl-2007-kosovo-talks.txt")
    labels = [(span.label, text[span.start : span.end][:20]) for span in find_boilerplate(text)]
    assert labels == [
        ("donation banner", "UNITED24 - Make a ch"),
        ("banner", "[ rfe/rl banner ]"),
        ("copyright", "Copyright (c) 2007. "),
        ("mailing list", "Join the GlobalSecur"),
    ]


def test_find_boilerplate_comments_cookies_byline():
    text = _read("cignews-2025-rutte-kosovo.txt")
    assert [span.label for span in find_boilerplate(text)] == [
        "byline",
        "comments",
        "comments",
        "related links",
        "comments",
        "cookie notice",
    ]


def test_find_boilerplate_ignores_prose():
    text = (
        "The ministers agreed to share data on cookies and copyright enforcement across the region, "
        "and to improve the user experience of public services, as the communique makes clear in detail.\n"
    )
    assert find_boilerplate(text) == ()
    assert find_boilerplate(_read("si-2006-balkans-statement.txt")) == ()


def test_a_line_ending_in_a_quoted_sentence_is_a_paragraph_not_a_heading():
    # Its full stop sits inside the closing quotation mark: a sentence, however short.
    text = (
        "Talks on the crossing resume\n\n"
        'Ana Petrova told reporters: "We must reopen the crossing."\n\n'
        "Jonas Berg said: “We will send the engineers in May.”\n\n"
        '"Open Skies for the Region"\n'
    )
    assert [b.kind for b in blocks(text)] == ["heading", "paragraph", "paragraph", "heading"]

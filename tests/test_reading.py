import random
import sys

import pytest

import tracker.reading
import tracker.reading_html
from tracker.reading import Anchor, CitedSpan, LabelledSpan, Segment, blocks, iter_segments, segments
from tracker.reading_html import source_html

TEXT = "Intro. Alpha beta gamma. Outro."
#       0123456789012345678901234567890


def test_segments_without_spans_is_the_whole_text():
    assert segments(TEXT) == [Segment(text=TEXT)]


def test_segments_of_empty_text_is_empty():
    assert segments("", citations=[CitedSpan(0, 3, 1, "A")]) == []


def test_segments_cut_at_a_citation():
    parts = segments(TEXT, citations=[CitedSpan(7, 24, 5, "REF-1")])
    assert parts == [
        Segment(text="Intro. "),
        Segment(text="Alpha beta gamma.", item_refs=("REF-1",), citation_starts=((5, "REF-1"),), citation_ids=(5,)),
        Segment(text=" Outro."),
    ]


def test_segments_overlapping_citations_cut_at_every_boundary():
    parts = segments(TEXT, citations=[CitedSpan(7, 17, 1, "A"), CitedSpan(13, 24, 2, "B")])
    assert [(p.text, p.item_refs, p.citation_starts, p.citation_ids) for p in parts] == [
        ("Intro. ", None, (), ()),
        ("Alpha ", ("A",), ((1, "A"),), (1,)),
        ("beta", ("A", "B"), ((2, "B"),), (1, 2)),
        (" gamma.", ("B",), (), (2,)),
        (" Outro.", None, (), ()),
    ]
    assert "".join(p.text for p in parts) == TEXT
    assert [p.depth for p in parts] == [0, 1, 2, 1, 0]


def test_segments_nested_and_identical_spans():
    parts = segments(
        TEXT, citations=[CitedSpan(7, 24, 1, "OUTER"), CitedSpan(13, 17, 2, "INNER"), CitedSpan(7, 24, 3, "TWIN")]
    )
    assert [(p.text, p.item_refs, p.citation_starts) for p in parts] == [
        ("Intro. ", None, ()),
        ("Alpha ", ("OUTER", "TWIN"), ((1, "OUTER"), (3, "TWIN"))),
        ("beta", ("OUTER", "TWIN", "INNER"), ((2, "INNER"),)),
        (" gamma.", ("OUTER", "TWIN"), ()),
        (" Outro.", None, ()),
    ]


def test_segments_two_citations_of_one_item_list_the_reference_once():
    parts = segments(TEXT, citations=[CitedSpan(7, 17, 1, "A"), CitedSpan(13, 24, 2, "A")])
    assert [p.item_refs for p in parts] == [None, ("A",), ("A",), ("A",), None]


def test_segments_boilerplate_and_anchors():
    parts = segments(
        TEXT,
        boilerplate=[LabelledSpan(25, 31, "Footer")],
        anchors=[Anchor(0, "s1"), Anchor(7, "s2")],
    )
    assert [(p.text, p.boilerplate, p.anchors, p.is_boilerplate) for p in parts] == [
        ("Intro. ", "", ("s1",), False),
        ("Alpha beta gamma. ", "", ("s2",), False),
        ("Outro.", "Footer", (), True),
    ]


def test_segments_anchor_at_the_end_gets_an_empty_segment():
    parts = segments("abc", anchors=[Anchor(3, "s9")])
    assert parts == [Segment(text="abc"), Segment(text="", anchors=("s9",))]


def test_segments_ignore_spans_outside_or_empty_and_clamp():
    parts = segments("abcdef", citations=[CitedSpan(4, 99, 1, "A"), CitedSpan(50, 60, 2, "B"), CitedSpan(2, 2, 3, "C")])
    assert [(p.text, p.item_refs) for p in parts] == [("abcd", None), ("ef", ("A",))]


def test_segments_keep_markup_as_plain_text():
    text = "<script>alert(1)</script> & more"
    parts = segments(text, citations=[CitedSpan(0, 8, 1, "X")])
    assert [p.text for p in parts] == ["<script>", "alert(1)</script> & more"]


def test_blocks_group_each_boilerplate_span():
    parts = segments(TEXT, citations=[CitedSpan(7, 12, 1, "A")], boilerplate=[LabelledSpan(0, 7, "Banner")])
    grouped = blocks(parts)
    assert [(b.boilerplate, [s.text for s in b.segments]) for b in grouped] == [
        ("Banner", ["Intro. "]),
        ("", ["Alpha", " beta gamma. Outro."]),
    ]


# --- Many overlapping, nested and adjacent spans: the sweep against the definition ----------------------


def _by_definition(text, citations, boilerplate=(), anchors=()):
    """What segments() must return, computed straight from its definition: for every stretch between two
    boundaries, scan every span (quadratic, fine for a test)."""
    length = len(text)

    def clamp(value):
        return max(0, min(value, length))

    citations = sorted(
        (c for c in citations if clamp(c.start) < clamp(c.end)), key=lambda c: (c.start, -c.end, c.citation_id)
    )
    boilerplate = sorted((b for b in boilerplate if clamp(b.start) < clamp(b.end)), key=lambda b: b.start)
    anchors = [a for a in anchors if 0 <= a.position <= length]
    cuts = {0, length, *(a.position for a in anchors)}
    for span in (*citations, *boilerplate):
        cuts |= {clamp(span.start), clamp(span.end)}
    bounds = sorted(cuts)
    result = []
    for start, end in zip(bounds, bounds[1:], strict=False):
        covering = [c for c in citations if clamp(c.start) <= start and end <= clamp(c.end)]
        result.append(
            Segment(
                text=text[start:end],
                item_refs=tuple(dict.fromkeys(c.reference for c in covering)) or None,
                boilerplate=next((b.label for b in boilerplate if b.start <= start and end <= b.end), ""),
                citation_starts=tuple((c.citation_id, c.reference) for c in covering if clamp(c.start) == start),
                citation_ids=tuple(c.citation_id for c in covering),
                anchors=tuple(a.name for a in anchors if a.position == start),
            )
        )
    trailing = tuple(a.name for a in anchors if a.position == length)
    if trailing and length:
        result.append(Segment(text="", anchors=trailing))
    return result


def _random_spans(rng, length, count):
    """Spans that overlap, nest, repeat and touch: most start or end where another one does."""
    edges = [0, length]
    spans = []
    for index in range(count):
        start = rng.choice(edges) if rng.random() < 0.6 else rng.randrange(-2, length)
        end = rng.choice(edges) if rng.random() < 0.5 else start + rng.randint(0, 40)
        start, end = sorted((start, end))
        edges += [start, end]
        # A few items cite twice; ids are not in text order.
        spans.append(CitedSpan(start, end + rng.randint(0, 1) * 3, 1000 - index, f"R-{index // 2 if index % 7 else 0}"))
    return spans


@pytest.mark.parametrize("seed", range(30))
def test_segments_many_overlapping_and_adjacent_spans_match_the_definition(seed):
    rng = random.Random(seed)
    text = "".join(rng.choice("ab <&>\"'\n") for _ in range(rng.randint(1, 300)))
    citations = _random_spans(rng, len(text), rng.randint(0, 60))
    boilerplate = [
        LabelledSpan(start, start + rng.randint(1, 30), f"Box {n}")
        for n, start in enumerate(sorted(rng.sample(range(len(text) + 5), min(3, len(text)))))
    ]
    anchors = [Anchor(rng.randint(0, len(text) + 1), f"s{n}") for n in range(rng.randint(0, 6))]
    parts = segments(text, citations=citations, boilerplate=boilerplate, anchors=anchors)
    assert parts == _by_definition(text, citations, boilerplate, anchors)
    assert "".join(p.text for p in parts) == text


def test_segments_adjacent_quotes_are_separate_segments():
    # Two quotes that touch (one ends where the next starts) and one that ends at the text's end.
    parts = segments("aaabbbccc", citations=[CitedSpan(0, 3, 1, "A"), CitedSpan(3, 6, 2, "B"), CitedSpan(6, 9, 3, "C")])
    assert [(p.text, p.item_refs, p.citation_starts) for p in parts] == [
        ("aaa", ("A",), ((1, "A"),)),
        ("bbb", ("B",), ((2, "B"),)),
        ("ccc", ("C",), ((3, "C"),)),
    ]


# --- The work is linear in the number of spans --------------------------------------------------------------


def _lines_executed(function, *args, **kwargs) -> int:
    """Python lines executed in tracker.reading and tracker.reading_html: a count of the work that does not
    depend on the machine's speed (the loop bodies of the sweep, the escaping and every comprehension)."""
    files = {tracker.reading.__file__, tracker.reading_html.__file__}
    count = 0

    def local(frame, event, arg):
        nonlocal count
        if event == "line":
            count += 1
        return local

    def global_(frame, event, arg):
        return local if frame.f_code.co_filename in files else None

    sys.settrace(global_)
    try:
        function(*args, **kwargs)
    finally:
        sys.settrace(None)
    return count


def _long_document(sentences: int):
    """Like a long strategy: one quote per sentence, and every third sentence a second quote overlapping
    the next two, a section anchor and a boilerplate box now and then."""
    sentence = "The governments of the region should act on border control now. "
    text = sentence * sentences
    step = len(sentence)
    citations = []
    for n in range(sentences):
        citations.append(CitedSpan(n * step, (n + 1) * step - 1, len(citations), f"R-{n}"))
        if n % 3 == 0 and n + 3 <= sentences:
            citations.append(CitedSpan(n * step + 4, (n + 3) * step - 1, len(citations), f"R-{n}-B"))
    anchors = [Anchor(n * step, f"s{n}") for n in range(0, sentences, 50)]
    return text, citations, anchors


def _render(text, citations, anchors):
    parts = iter_segments(text, citations=citations, anchors=anchors)
    return source_html(parts, lambda reference: f"/items/{reference}/")


def test_reading_work_grows_linearly_with_citations():
    small = _lines_executed(_render, *_long_document(300))
    large = _lines_executed(_render, *_long_document(1200))
    # Four times the citations: about four times the lines (quadratic work would be sixteen times).
    assert 3.5 * small < large < 4.5 * small, (small, large)


# --- The markup ---------------------------------------------------------------------------------------------


def test_source_html_boxes_boilerplate_links_quotes_and_escapes_everything():
    text = 'Intro <b>. Alpha & "beta". Footer'
    #       0123456789012345678901234567890123
    parts = iter_segments(
        text,
        citations=[CitedSpan(11, 26, 7, "A&1"), CitedSpan(19, 25, 8, "B")],
        boilerplate=[LabelledSpan(27, 33, "Foot <note>")],
        anchors=[Anchor(0, "s1")],
    )
    html = source_html(parts, lambda reference: f"/items/{reference}/?x=<")
    assert html == (
        '<div class="source__text"><span class="anchor" id="s1"></span>Intro &lt;b&gt;. '
        '<a class="cite-ref" id="c7" href="/items/A&amp;1/?x=&lt;" aria-label="Item A&amp;1">A&amp;1</a>'
        '<mark class="cited" data-citations="7" title="Cited by A&amp;1">Alpha &amp; </mark>'
        '<a class="cite-ref" id="c8" href="/items/B/?x=&lt;" aria-label="Item B">B</a>'
        '<mark class="cited depth-2" data-citations="7 8" title="Cited by A&amp;1, B">&quot;beta&quot;</mark>'
        '<mark class="cited" data-citations="7" title="Cited by A&amp;1">.</mark> </div>'
        '<details class="boilerplate">'
        '<summary class="boilerplate__label">Foot &lt;note&gt; — not part of the document</summary>Footer</details>'
    )


def test_source_html_of_no_text_is_empty():
    assert source_html(iter_segments(""), str) == ""

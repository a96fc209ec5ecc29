from tracker.reading import Anchor, CitedSpan, LabelledSpan, Segment, blocks, segments

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

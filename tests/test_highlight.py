import pytest

from tracker.highlight import ELLIPSIS, Passage, passage_around

TEXT = "Alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu."


def test_passage_around_whole_text_when_context_covers_it():
    start = TEXT.index("delta")
    passage = passage_around(TEXT, start, start + len("delta"), context=300)
    assert passage == Passage(
        before="Alpha beta gamma ",
        quote="delta",
        after=" epsilon zeta eta theta iota kappa lambda mu.",
        start_offset=0,
        end_offset=len(TEXT),
        clipped_before=False,
        clipped_after=False,
    )
    assert str(passage) == TEXT


def test_passage_around_trims_cut_words_and_adds_ellipses():
    start = TEXT.index(" eta ") + 1
    # 14 characters either side: " epsilon zeta " (starts on a space, kept) and " theta iota ka"
    # (cuts "kappa", whose partial "ka" is dropped).
    passage = passage_around(TEXT, start, start + 3, context=14)
    assert passage.before == f"{ELLIPSIS}epsilon zeta "
    assert passage.quote == "eta"
    assert passage.after == f" theta iota{ELLIPSIS}"
    assert passage.clipped_before is True
    assert passage.clipped_after is True
    assert TEXT[passage.start_offset : passage.end_offset] == "epsilon zeta eta theta iota"
    # 16 characters before: "ta epsilon zeta " cuts "delta", whose partial "ta" is dropped.
    assert passage_around(TEXT, start, start + 3, context=16).before == f"{ELLIPSIS}epsilon zeta "


def test_passage_around_keeps_cut_on_word_boundary():
    start = TEXT.index("gamma")
    # Six characters either side end on spaces (" beta " and " delta "): whole words, nothing to trim.
    passage = passage_around(TEXT, start, start + 5, context=6)
    assert passage.before == f"{ELLIPSIS}beta "
    assert passage.after == f" delta{ELLIPSIS}"


def test_passage_around_drops_a_word_cut_at_the_end():
    start = TEXT.index("gamma")
    passage = passage_around(TEXT, start, start + 5, context=5)
    assert (passage.before, passage.after) == (f"{ELLIPSIS}beta ", ELLIPSIS)


def test_passage_around_zero_context():
    start = TEXT.index("theta")
    passage = passage_around(TEXT, start, start + 5, context=0)
    assert (passage.before, passage.quote, passage.after) == (ELLIPSIS, "theta", ELLIPSIS)


def test_passage_around_span_at_the_edges():
    passage = passage_around(TEXT, 0, 5, context=6)
    assert (passage.before, passage.quote, passage.after) == ("", "Alpha", f" beta{ELLIPSIS}")
    end = len(TEXT)
    passage = passage_around(TEXT, end - 3, end, context=7)
    assert (passage.before, passage.quote, passage.after) == (f"{ELLIPSIS}lambda ", "mu.", "")


def test_passage_around_whitespace_only_beyond_cut_is_not_clipped():
    text = "\n\n  quoted words  \n"
    start = text.index("quoted")
    passage = passage_around(text, start, start + len("quoted words"), context=1)
    assert (passage.before, passage.after) == ("", "")
    assert passage.clipped_before is passage.clipped_after is False


def test_passage_around_long_word_next_to_the_quote_is_kept():
    text = "x" * 50 + "QUOTE" + "y" * 50
    passage = passage_around(text, 50, 55, context=10)
    assert passage.before == ELLIPSIS + "x" * 10
    assert passage.after == "y" * 10 + ELLIPSIS


def test_passage_around_returns_plain_strings_unescaped():
    text = "<p>before</p> <script>alert(1)</script> after & more"
    start = text.index("<script>")
    passage = passage_around(text, start, start + len("<script>alert(1)</script>"))
    assert passage.quote == "<script>alert(1)</script>"
    assert passage.before == "<p>before</p> "
    assert passage.after == " after & more"
    assert type(passage.quote) is str


@pytest.mark.parametrize(("start", "end"), [(-1, 3), (5, 4), (0, len(TEXT) + 1)])
def test_passage_around_refuses_span_outside_text(start, end):
    with pytest.raises(ValueError, match="is not inside the text"):
        passage_around(TEXT, start, end)


def test_passage_around_refuses_negative_context():
    with pytest.raises(ValueError, match="must not be negative"):
        passage_around(TEXT, 0, 1, context=-1)

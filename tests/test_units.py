from corpus_import.segment import blocks, find_sections
from corpus_import.units import build_units, split_clauses


def _units(text: str):
    layout = blocks(text)
    return build_units(text, layout, find_sections(text, layout), lambda section: False)


def test_split_clauses_cuts_separate_actions():
    text = "The Council recalls its commitment to support the partners and invites the Commission to continue its help."
    pieces = [(text[s:e], rule) for s, e, rule in split_clauses(text, 0, len(text))]
    assert pieces == [
        ("The Council recalls its commitment to support the partners", None),
        ("invites the Commission to continue its help.", "coordinated-action"),
    ]


def test_split_clauses_keeps_one_aim_and_short_pieces_together():
    text = "Ministers agreed to meet and to talk."
    assert split_clauses(text, 0, len(text)) == [(0, len(text), None)]


def test_units_carry_lead_in_and_number():
    text = (
        "Recommendations\n\nTo the governments of the region:\n\n- Adopt a law.\n- Fund the courts.\n\n"
        "1. Urges parliaments to act;\n"
    )
    units = _units(text)
    assert [(text[u.start : u.end], u.kind, u.numbered) for u in units] == [
        ("Adopt a law.", "bullet", False),
        ("Fund the courts.", "bullet", False),
        ("Urges parliaments to act;", "bullet", True),
    ]
    assert units[0].lead_in.text == "To the governments of the region:" and units[0].lead_in.announces_items


def test_background_lead_in_is_marked():
    text = "The main risks identified are:\n\n- ransomware attacks on hospitals;\n"
    (unit,) = _units(text)
    assert unit.lead_in.background and not unit.lead_in.announces_items


def test_a_quotation_after_a_colon_is_its_own_unit_even_alone_in_its_paragraph():
    text = (
        "Border talks\n\n"
        'Ivana Horvat told reporters: "We will reopen the crossing."\n\n'
        "In a statement, Luka Radović said: “We will send engineers. We must also pay them.”\n"
    )
    assert [(text[u.start : u.end], u.cut) for u in _units(text)] == [
        ("Ivana Horvat told reporters:", "sentence"),
        ('"We will reopen the crossing."', "quoted-speech"),
        ("In a statement, Luka Radović said:", "sentence"),
        ("“We will send engineers.", "quoted-speech"),
        ("We must also pay them.”", "sentence"),
    ]

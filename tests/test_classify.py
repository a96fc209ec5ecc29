import pytest

from corpus_import.classify import classify
from corpus_import.segment import blocks, find_sections
from corpus_import.units import build_units


def _decisions(text: str, kind: str = "statement"):
    layout = blocks(text)
    units = build_units(text, layout, find_sections(text, layout), lambda section: False)
    return [(text[u.start : u.end], classify(text, u, kind)) for u in units]


@pytest.mark.parametrize(
    ("text", "rule", "kind"),
    [
        ("Recalling the Programme of Action of 2001,\n", "preambular-clause", None),
        ("3. Requests the Secretariat to prepare an annual report;\n", "operative-clause", "commitment"),
        ("6. Welcomes the decision of several member states to destroy their stockpiles;\n", "no-speech-act", None),
        ("We will step up our cooperation against organised crime.\n", "commitment-verb", "commitment"),
        ("The next summit will take place in Podgorica in 2027.\n", "no-speech-act", None),
        ("The Council welcomes the adoption of the Growth Plan and notes the disbursements.\n", "no-speech-act", None),
        ("He denied that Belgrade was delaying the implementation of earlier agreements.\n", "no-speech-act", None),
        ("Analysts expect the commission to struggle with the question.\n", "no-speech-act", None),
        ("Serbia's negotiator said his government would appoint its members.\n", "commitment-verb", "commitment"),
        ("An earlier plan would have reopened it.\n", "no-speech-act", None),
        ("The society believes that the accession will contribute to stability.\n", "no-speech-act", None),
        ("The ministry would most likely close the office in spring, she said.\n", "no-speech-act", None),
        ("Asked about the road to Pristina, the envoy replied that talks go on.\n", "no-speech-act", None),
        ("The envoy asked both sides to reopen the crossing.\n", "commitment-verb", "commitment"),
        ("The two ministers warn that smuggling will grow this year.\n", "no-speech-act", None),
        ("Nobody will stop the reforms now, the minister said.\n", "no-speech-act", None),
        ("Municipalities should open youth centres in every town.\n", "modal", "recommendation"),
        ("The media, which must be seen as partners, report daily.\n", "no-speech-act", None),
    ],
)
def test_statement_rules(text, rule, kind):
    ((_, decision),) = _decisions(text)
    assert (decision.rule, decision.kind) == (rule, kind)


def test_a_quoted_forecast_is_not_a_pledge_but_a_quoted_pledge_is():
    # A hedge right after "will" makes a forecast; the pledge in the next clause stays an item.
    text = 'Ivo Marin said: "Exports will probably fall. We will probably wait, and we will open the office in June."\n'
    assert [(quote, d.rule) for quote, d in _decisions(text)] == [
        ("Ivo Marin said:", "no-speech-act"),
        ('"Exports will probably fall.', "no-speech-act"),
        ("We will probably wait", "no-speech-act"),
        ('we will open the office in June."', "commitment-verb"),
    ]


def test_bullets_imperative_nominal_and_background():
    text = (
        "We propose the following measures:\n\n- Establishment of a regional register.\n\n"
        "Recommendations\n\n- Adopt a common risk analysis.\n- Support for NATO membership aspirations.\n\n"
        "The main risks are:\n\n- ransomware attacks on hospitals;\n"
    )
    rules = [(quote, decision.rule) for quote, decision in _decisions(text, kind="report")]
    assert rules == [
        ("Establishment of a regional register.", "recommendation-list"),
        ("Adopt a common risk analysis.", "imperative-bullet"),
        ("Support for NATO membership aspirations.", "no-speech-act"),  # a noun phrase, not an imperative
        ("ransomware attacks on hospitals;", "background-list"),
    ]


def test_quoted_will_that_promises_nothing_is_not_an_item():
    # "We will see" promises nothing, a refusal foretold of others is a prediction, a hope for an event asks no
    # one; the speaker's own pledge, and a hope that a named actor act (a soft call), stay items.
    text = (
        'Ana Petrova said: "We will see whether it holds. They will never sign this. He will not come. '
        "We hope the negotiations will resume soon. We will never give up the border agreement. "
        'We hope that Albania will open the crossing."\n'
    )
    assert [(quote, d.rule, text[d.trigger_start : d.trigger_end]) for quote, d in _decisions(text, "news")] == [
        ("Ana Petrova said:", "no-speech-act", ""),
        ('"We will see whether it holds.', "no-speech-act", ""),
        ("They will never sign this.", "no-speech-act", ""),
        ("He will not come.", "no-speech-act", ""),
        ("We hope the negotiations will resume soon.", "no-speech-act", ""),
        ("We will never give up the border agreement.", "commitment-verb", "will"),
        ('We hope that Albania will open the crossing."', "commitment-verb", "hope"),
    ]

import json
import re
import sys
import time
from pathlib import Path

import pytest

from corpus_import.extract import extract_document, make_title
from corpus_import.gazetteer import ACTORS_BY_SLUG
from corpus_import.records import ITEM_KINDS, STRENGTHS, DocumentMeta
from corpus_import.sources import load_corpus
from tracker.taxonomy import THEMES_BY_SLUG

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
ANNOTATIONS = ROOT / "tests" / "data" / "annotations.json"
sys.path.insert(0, str(ROOT / "scripts"))

from evaluate_extraction import Scores, evaluate  # noqa: E402


@pytest.fixture(scope="module")
def extracted():
    return {meta.slug: extract_document(meta, text) for meta, text in load_corpus(CORPUS)}


def _item(document, prefix: str):
    matches = [item for item in document.items if item.text.startswith(prefix)]
    assert len(matches) == 1, (prefix, [m.text[:60] for m in matches])
    return matches[0]


def _meta(slug: str = "doc", kind: str = "strategy", publisher: str = "Atlantic Treaty Association") -> DocumentMeta:
    return DocumentMeta(
        path=Path(f"{slug}.txt"),
        slug=slug,
        reference_prefix="DOC",
        title="Doc",
        kind=kind,
        publisher=publisher,
    )


def test_offsets_invariant_on_every_item(extracted):
    for document in extracted.values():
        assert document.items
        for item in document.items:
            assert item.text == item.citations[0].quote
            assert item.section_number == item.citations[0].section_number
            for citation in item.citations:
                assert citation.quote == document.text[citation.start : citation.end]
                assert citation.quote == citation.quote.strip()
                assert not re.match(r"[-·•]\s", citation.quote)


def test_items_use_known_vocabulary(extracted):
    keys = set()
    for document in extracted.values():
        for item in document.items:
            assert item.kind in ITEM_KINDS and item.strength in STRENGTHS
            assert set(item.made_by) <= set(ACTORS_BY_SLUG), item.made_by
            assert set(item.addressed_to) <= set(ACTORS_BY_SLUG), item.addressed_to
            assert set(item.themes) <= set(THEMES_BY_SLUG), item.themes
            assert 0 < len(item.title) <= 120
            keys.add(item.key)
    assert len(keys) == sum(len(d.items) for d in extracted.values())


def test_annotation_fixture_is_consistent(extracted):
    annotations = json.loads(ANNOTATIONS.read_text(encoding="utf-8"))["documents"]
    for slug, document in annotations.items():
        text = extracted[slug].text
        for item in document["items"]:
            for span in item["spans"]:
                assert text[span["start"] : span["end"]] == span["quote"]


def test_quality_against_annotation():
    """The bundled corpus as a whole, on its annotation re-done to ANNOTATION.md's addressee rules
    (scripts/reannotate_bundled.py); per-document floors are in test_extraction_quality.py."""
    total = Scores()
    for scores in evaluate(CORPUS, ANNOTATIONS.with_name("annotations_v2.json")).values():
        total.add(scores)
    assert total.annotated >= 200
    assert total.precision >= 0.95
    assert total.recall >= 0.95
    assert total.addressed_recall >= 0.75  # below issue 11's 0.80 since every strategy item was reviewed: README
    assert total.theme_recall >= 0.85


def test_boilerplate_never_yields_items(extracted):
    for document in extracted.values():
        for item in document.items:
            for citation in item.citations:
                for span in document.boilerplate:
                    assert citation.end <= span.start or citation.start >= span.end


def test_boilerplate_only_document_has_no_items():
    text = (
        "UNITED24 - Make a charitable donation in support of Ukraine!\n\n[ site banner ]\n\n"
        "Copyright (c) 2026. Example Inc.\nJoin the Example mailing list\n0 comment\nLeave a Comment\n"
        "This website uses cookies to improve your experience. You must accept them.\n"
    )
    document = extract_document(_meta(kind="news_article", publisher=""), text)
    assert document.items == ()
    assert len(document.boilerplate) == 7


def test_summary_and_conclusion_twins_merge(extracted):
    ata = extracted["ata-2006-regional-security-strategy"]
    item = _item(ata, "Countries in the area must conclude free trade agreements")
    assert [c.section_number for c in item.citations] == ["ES", "5"]
    assert item.citations[0].quote.endswith("state’s economy;")
    assert item.citations[1].quote.endswith("state’s economy.")
    assert item.themes == ("free-trade-area",)
    twins = [i for i in ata.items if len(i.citations) == 2]
    assert len(twins) == 22  # all 20 bullets of both lists, 2 sentences of the repeated closing paragraph
    assert all([c.section_number for c in i.citations] == ["ES", "5"] for i in twins)


def test_body_restatement_stays_separate(extracted):
    ata = extracted["ata-2006-regional-security-strategy"]
    body = _item(ata, "Therefore, national security and defense strategies should be developed")
    assert len(body.citations) == 1 and body.section_number == "4.1.1"
    assert body.themes == ("building-trust",)
    roma = _item(ata, "An integrated structure such as a Regional Roma Center")
    assert (roma.section_number, roma.themes, roma.strength) == ("4.9.3", ("roma-issue",), "could")


def test_strategy_items_clear_cases(extracted):
    ata = extracted["ata-2006-regional-security-strategy"]
    escape = _item(ata, "Countries in the region must escape this embarrassing label")
    assert (escape.kind, escape.made_by, escape.addressed_to, escape.themes, escape.strength) == (
        "recommendation",
        ("ata",),
        ("countries-of-the-region",),
        ("conflict-prevention",),
        "must",
    )
    refugees = _item(ata, "National governments should make sustainable efforts")
    assert refugees.addressed_to == ("national-governments",)
    assert refugees.themes == ("refugees-and-displaced-persons",)
    passive = _item(ata, "Measures based on transparency and accountability should be promoted")
    assert passive.addressed_to == ("countries-of-the-region",)
    media = _item(ata, "Initiatives like Association of the Media in Southeast Europe")
    assert "national-governments" in media.addressed_to
    nominal = _item(ata, "Effective early warning and risk management systems")
    assert nominal.section_number == "4.1.2"
    assert not any(i.section_number and i.section_number[0] in "23" for i in ata.items)


def test_statement_commitments_split_into_clauses(extracted):
    si = extracted["si-2006-balkans-statement"]
    foster = _item(si, "The International will continue working to foster")
    assert (
        foster.text
        == "The International will continue working to foster a climate of confidence and trust in the region"
    )
    assert (foster.kind, foster.made_by, foster.themes) == (
        "commitment",
        ("socialist-international",),
        ("building-trust",),
    )
    promote = _item(si, "and to promote social democratic values")
    assert promote.made_by == ("socialist-international",)


def test_news_commitments_and_speakers(extracted):
    rferl = extracted["rferl-2007-kosovo-talks"]
    pledge = _item(rferl, "Meanwhile NATO pledged to keep its 16,000 peacekeepers")
    assert (pledge.kind, pledge.made_by, pledge.themes) == ("commitment", ("nato",), ("peacekeeping",))
    churkin = _item(rferl, "In light of that, Churkin said Moscow will be calling")
    assert set(churkin.made_by) == {"vitaly-churkin", "russia"}
    quoted = _item(rferl, "And we will act resolutely")
    assert quoted.made_by == ("jaap-de-hoop-scheffer", "nato")
    moscow = _item(rferl, "Moscow has urged for talks to continue")
    assert moscow.addressed_to == ("kosovo", "serbia")
    assert not any("Serbia does not" in i.text or "administered by the UN" in i.text for i in rferl.items)

    cig = extracted["cignews-2025-rutte-kosovo"]
    call = _item(cig, "He also called on Kosovo and Serbia")
    assert (call.made_by, call.addressed_to) == (("mark-rutte", "nato"), ("kosovo", "serbia"))
    both = _item(cig, "Both the European Union and the United States have reiterated")
    assert set(both.made_by) == {"eu", "usa"} and both.addressed_to == ("kosovo", "serbia")
    assert not any(i.text.startswith("Serbia, however, does not recognize") for i in cig.items)


def test_news_quotations_after_a_colon_are_their_speakers_items():
    # Each quotation stands alone in its paragraph (a short line that once passed for a heading); the speaker
    # is named before the colon, known (Rutte) or not (Horvat, Brenner), and linked to the body they speak for.
    text = (
        "Ministers back a joint border patrol\n\n"
        'Croatia\'s Interior Minister, Ivana Horvat, told reporters: "We will put forty officers on the patrols."\n\n'
        'In a statement, Mark Rutte said: "We must keep the northern crossings open through the winter."\n\n'
        'NATO spokesperson Ana Brenner said: "We will fund the new radar station. We must also train its crews."\n\n'
        'Montenegro\'s Prime Minister, Luka Radović, said: "We welcome the agreement on the patrols."\n\n'
        'Ivana Horvat told reporters: "We condemn the attack on the customs post."\n\n'
        'Luka Radović said: "We deny that our police knew of the smuggling route."\n\n'
        'Mark Rutte said: "Traffic at the crossings will probably double by the summer."\n\n'
        'Ana Brenner said: "Three hundred soldiers now serve in the mission."\n'
    )
    document = extract_document(_meta(kind="news_article", publisher="Adriatic Herald"), text)
    assert [(item.text, item.kind, item.made_by) for item in document.items] == [
        ('"We will put forty officers on the patrols."', "commitment", ("ivana-horvat", "croatia")),
        ('"We must keep the northern crossings open through the winter."', "commitment", ("mark-rutte", "nato")),
        ('"We will fund the new radar station.', "commitment", ("ana-brenner", "nato")),
        ('We must also train its crews."', "commitment", ("ana-brenner", "nato")),
    ]
    assert [item.addressed_to for item in document.items] == [("croatia",), ("nato",), ("nato",), ("nato",)]
    assert [(a.slug, a.kind, a.parent) for a in document.new_actors] == [
        ("ana-brenner", "person", "nato"),
        ("ivana-horvat", "person", "croatia"),
    ]


def test_article_author_proposals(extracted):
    web = extracted["nato-stoltenberg-western-balkans"]
    bullets = [
        _item(web, prefix)
        for prefix in ("Cross-community dialogues", "International mediation", "Incremental agreements")
    ]
    assert all(item.kind == "proposal" and item.made_by == () for item in bullets)
    essential = _item(web, "To enhance dialogue between Kosovo and Serbia, it is essential")
    assert essential.kind == "proposal"
    commitments = [i for i in web.items if i.kind == "commitment"]
    assert commitments and all("nato" in i.made_by for i in commitments)
    assert not any("|" in i.text for i in web.items)  # table rows are not items


def test_flattened_article_with_pipes_still_yields_its_items(extracted):
    """Issue 10.9: a paragraph holding "|" characters is prose, not a table, and keeps its items."""
    meta = next(meta for meta, _ in load_corpus(CORPUS) if meta.slug == "nato-stoltenberg-western-balkans")
    flat = " ".join(extracted[meta.slug].text.split())
    assert flat.count("|") > 2 and "\n" not in flat
    document = extract_document(meta, flat)
    assert len(document.items) >= 15
    texts = [item.text for item in document.items]
    for prefix in ("It is imperative that both sides", "Instead, it is crucial", "During a recent address"):
        assert any(text.startswith(prefix) for text in texts), prefix


def test_key_stable_and_independent_of_other_paragraphs():
    text = (
        "Countries in the region must cooperate on border control.\n\n"
        "The weather was fine that year.\n\n"
        "National governments should fund the Regional Roma Centre.\n"
    )
    first = extract_document(_meta(), text)
    again = extract_document(_meta(), text)
    assert [i.key for i in first.items] == [i.key for i in again.items]
    edited = text.replace("The weather was fine that year.", "Governments must also publish budgets. Really.")
    changed = extract_document(_meta(), edited)
    keys = {i.text: i.key for i in changed.items}
    for item in first.items:
        assert keys[item.text] == item.key
    assert len(changed.items) == 3
    other = extract_document(_meta(slug="other"), text)
    assert {i.key for i in other.items}.isdisjoint({i.key for i in first.items})


def test_identical_texts_get_deterministic_suffix():
    text = "States must act now.\n\nSomething else.\n\nStates must act now.\n"
    keys = [i.key for i in extract_document(_meta(), text).items]
    assert len(keys) == 2 and keys[1] == keys[0] + "-2"


def test_make_title():
    assert make_title("It is essential to set up regional transport networks.") == "Set up regional transport networks"
    assert (
        make_title("Therefore, national strategies should be developed.") == "National strategies should be developed"
    )
    long = make_title("Countries " + "very " * 40 + "long.")
    assert len(long) <= 101 and long.endswith("…") and " " not in long[-2:]
    assert make_title("...") != ""


def test_front_matter_communique_uses_publisher_voice(tmp_path):
    text = "Allies will continue to support the Western Balkans and call on Belgrade and Pristina to engage.\n"
    document = extract_document(_meta(kind="communique", publisher="NATO"), text)
    support, call = document.items  # two actions: a pledge of support and a call (ANNOTATION.md)
    assert (support.kind, support.made_by) == ("commitment", ("nato",))
    assert support.text == "Allies will continue to support the Western Balkans"
    assert set(support.addressed_to) == {"nato", "western-balkans"}
    assert (call.text, call.made_by, call.addressed_to) == (
        "call on Belgrade and Pristina to engage.",
        ("nato",),
        ("serbia", "kosovo"),
    )


@pytest.mark.slow
def test_extraction_is_fast():
    documents = load_corpus(CORPUS)
    extract_document(*documents[-1])  # compiles the vocabularies once, as any long-running import does
    started = time.perf_counter()
    for meta, text in documents:
        extract_document(meta, text)
    assert time.perf_counter() - started < 2.5  # about 0.9 s on an idle project machine
    ata = documents[0][1]
    synthetic = (ata * 2)[:100_000]
    started = time.perf_counter()
    extract_document(_meta(), synthetic)
    # Typically about 0.4 s on an idle project machine; the bound leaves room for a loaded CI host.
    assert time.perf_counter() - started < 1.5

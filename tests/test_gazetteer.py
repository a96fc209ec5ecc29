from pathlib import Path

import pytest

from corpus_import.gazetteer import ACTORS, ACTORS_BY_SLUG, DocumentContext, find_actors, with_parents
from corpus_import.records import ACTOR_KINDS

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def _slugs(text: str) -> list[str]:
    return [slug for slug, _, _ in find_actors(text)]


def test_actors_are_consistent():
    slugs = [actor.slug for actor in ACTORS]
    assert len(slugs) == len(set(slugs))
    for actor in ACTORS:
        assert actor.kind in ACTOR_KINDS
        assert actor.parent is None or actor.parent in ACTORS_BY_SLUG
        assert actor.aliases
        if actor.kind == "state":
            assert len(actor.iso_code) == 2


@pytest.mark.parametrize(
    ("slug", "code", "name"),
    [
        ("serbia", "RS", "Serbia"),
        ("russia", "RU", "Russia"),
        ("usa", "US", "United States"),
        ("bosnia-and-herzegovina", "BA", "Bosnia and Herzegovina"),
        ("north-macedonia", "MK", "North Macedonia"),
        ("kosovo", "XK", "Kosovo"),
    ],
)
def test_states_have_iso_codes(slug, code, name):
    assert (ACTORS_BY_SLUG[slug].iso_code, ACTORS_BY_SLUG[slug].name) == (code, name)


def test_find_actors_aliases():
    assert _slugs("the Alliance met; teh allianceS said; the alliance’s chief") == [
        "nato",
        "nato",
        "@nato-chief",
    ]
    assert _slugs("Belgrade rejects it, Moscow urged, Washington said") == ["serbia", "russia", "usa"]
    assert _slugs("Macedonia and Bosnia-Herzegovina") == ["north-macedonia", "bosnia-and-herzegovina"]
    assert _slugs("Countries in the area must act; SEE countries and Balkan states") == [
        "countries-of-the-region",
        "countries-of-the-region",
        "countries-of-the-region",
    ]
    assert _slugs("the Kosovo Force (KFOR) and the UN Security Council") == [
        "kfor",
        "kfor",
        "un-security-council",
    ]


def test_find_actors_case_and_boundaries():
    assert _slugs("they grow rice; the International emphasises") == ["socialist-international"]
    assert _slugs("the International Commission for the protection of River Danube") == []
    assert _slugs("Bosnian Serb leaders") == []


def test_find_actors_offsets():
    text = "Secretary General Mark Rutte visited Kosovo."
    assert [(slug, text[s:e]) for slug, s, e in find_actors(text)] == [
        ("mark-rutte", "Mark Rutte"),
        ("kosovo", "Kosovo"),
    ]


def test_document_context_resolves_chief_and_parties():
    context = DocumentContext((CORPUS / "cignews-2025-rutte-kosovo.txt").read_text(encoding="utf-8"))
    assert context.resolve("@nato-chief") == ("mark-rutte", "nato")
    assert context.resolve("@parties") == ("kosovo", "serbia")
    stoltenberg = DocumentContext((CORPUS / "nato-stoltenberg-western-balkans.txt").read_text(encoding="utf-8"))
    assert stoltenberg.resolve("@nato-chief") == ("jens-stoltenberg", "nato")


def test_with_parents_adds_the_organisation_of_a_person():
    assert with_parents(["mark-rutte"]) == ("mark-rutte", "nato")
    assert with_parents(["vitaly-churkin", "russia"]) == ("vitaly-churkin", "russia")
    assert with_parents(["eu", "usa"]) == ("eu", "usa")


def test_fuzzy_matcher_never_turns_an_ordinary_word_into_an_actor():
    # One edit away from "police", a suffix away from "partners" / "government": other words, not typos.
    assert _slugs("A new asylum policy and a customs partnership were adopted at the governmental level.") == []
    # Misspelt names and phrases are still found.
    assert _slugs("Serbai and Albnia signed; teh allianceS agreed; the goverments of the region") == [
        "serbia",
        "albania",
        "nato",
        "national-governments",
    ]


def test_bsec_is_a_known_international_organisation():
    assert _slugs("the Black Sea Economic Cooperation (BSEC)") == ["bsec", "bsec"]
    assert ACTORS_BY_SLUG["bsec"].kind == "international_organisation"


def test_an_alias_that_starts_a_longer_noun_phrase_is_not_its_group():
    # "the public" is the citizens only where no noun follows it.
    assert _slugs("Reform of the public order and the public administration") == []
    assert _slugs("the public institutions; the public must be told, and the public at large") == [
        "national-governments",
        "citizens",
        "citizens",
    ]


def test_the_commission_is_the_european_commission_unless_named_in_full():
    text = "The Council invites the Commission to act; the Commission for Missing Persons and the Commission on Dams"
    assert _slugs(text) == ["european-commission"]


def test_unknown_speaker_opening_a_sentence_is_a_new_person():
    text = (
        'Talks resumed.\n\nIvana Horvat told reporters: "We will reopen the crossing."\n\n'
        "The talks went on. Ursula von der Leyen said the Union was ready. Milan Đorđević added: "
        '"Soon." Border Police said the road was closed.\n'
    )
    context = DocumentContext(text)
    assert set(context.new_actors) == {"ivana-horvat", "ursula-von-der-leyen", "milan-dordevic"}
    assert context.new_actors["ivana-horvat"].kind == "person"


def test_unknown_speaker_before_an_apposition_is_linked_to_the_body_it_names():
    text = 'Ivana Horvat, Croatia\'s Interior Minister, said: "We will send forty officers."\n'
    context = DocumentContext(text)
    assert [(a.slug, a.parent) for a in context.new_actors.values()] == [("ivana-horvat", "croatia")]
    # Two capitalised words before a comma are no speaker without the reporting verb after the apposition.
    assert DocumentContext("Last Friday, the border was closed, officials said.\n").new_actors == {}


@pytest.mark.parametrize(
    "opening",
    ["Yesterday", "On Monday", "On Tuesday morning", "Last week", "Earlier this week,", "Meanwhile", "In March,"],
)
def test_a_time_word_opening_the_sentence_is_not_part_of_the_speakers_name(opening):
    text = f'The crossing stayed shut. {opening} Tomislav Babić told reporters: "We will reopen it."\n'
    assert list(DocumentContext(text).new_actors) == ["tomislav-babic"]
    # A given name that is also a month stays a name.
    assert list(DocumentContext('June Carter said: "We will reopen it."\n').new_actors) == ["june-carter"]


@pytest.mark.parametrize(
    ("text", "parent"),
    [
        ('Croatian Interior Minister Ivana Horvat said: "We will open two crossings."\n', "croatia"),
        ('Ivana Horvat, the Montenegrin envoy, said: "We will open two crossings."\n', "montenegro"),
        ('In a statement, the Hungarian Foreign Minister Ivana Horvat said: "We will."\n', "hungary"),
        ('Ivana Horvat told reporters: "We will open two crossings."\n', None),  # no body named: none invented
    ],
)
def test_unknown_speaker_is_linked_to_the_state_an_adjective_of_their_title_names(text, parent):
    (person,) = DocumentContext(text).new_actors.values()
    assert (person.slug, person.parent) == ("ivana-horvat", parent)

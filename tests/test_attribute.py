from pathlib import Path

import pytest

from corpus_import.attribute import ThemeMatcher, make_title
from corpus_import.extract import extract_document
from corpus_import.records import DocumentMeta
from tracker.taxonomy import THEMES, ThemeSpec


def _extract(text: str, kind: str = "statement", publisher: str = "Balkan Youth Network"):
    meta = DocumentMeta(Path("doc.txt"), "doc", "DOC", "Doc", kind, publisher=publisher)
    return extract_document(meta, text)


def test_lead_in_addressee_and_unknown_publisher():
    document = _extract("Recommendations\n\nTo the European Union:\n\n- Fund the joint contact centres.\n", "report")
    (item,) = document.items
    assert (item.made_by, item.addressed_to) == (("balkan-youth-network",), ("eu",))
    assert [(a.slug, a.kind) for a in document.new_actors] == [("balkan-youth-network", "civil_society")]
    assert item.explanation["addressed_to"] == {"eu": "named in the list's lead-in"}


def test_implicit_and_target_group_addressees():
    (law,) = _extract("Anti-corruption legislation has to be improved.\n", "report").items
    assert law.addressed_to == ("national-governments",)
    (roma,) = _extract("Roma children must be enrolled in schools.\n", "report").items
    assert set(roma.addressed_to) == {"roma", "countries-of-the-region"}


def test_venue_is_never_an_actor_and_capital_acts_where_it_acts():
    (item,) = _extract("At the meeting in Tirana, Belgrade and Pristina agreed to open the bridge.\n").items
    assert "albania" not in item.addressed_to + item.made_by
    assert set(item.made_by) == {"serbia", "kosovo"}


def test_reported_speech_links_unknown_person_to_body():
    text = "Kosovo's Foreign Minister, Drita Berisha, said Pristina was ready to resume talks next month.\n"
    document = _extract(text, "news_article", publisher="Adriatic Herald")
    (item,) = document.items
    assert item.made_by == ("drita-berisha", "kosovo")
    assert [(a.slug, a.parent) for a in document.new_actors] == [("drita-berisha", "kosovo")]


def test_typo_matched_by_fuzzy_matcher():
    (item,) = _extract("The Council calls on Kosvo to engage in the dialogue.\n", publisher="NATO").items
    assert item.addressed_to == ("kosovo",)


def test_policy_is_not_a_typo_of_police():
    (item,) = _extract("Asylum policy and legislation have to be harmonised.\n", "report").items
    assert item.addressed_to == ("national-governments",)


def test_themes_from_own_descriptors_never_neighbours():
    text = "NATO will keep its troops in Kosovo.\n\nNATO will fund schools in the region.\n"
    first, second = _extract(text, publisher="NATO").items
    assert "peacekeeping" in first.themes
    assert second.themes == ("education-and-research",)


def test_theme_matcher_uses_given_descriptors_and_context():
    matcher = ThemeMatcher([*THEMES, ThemeSpec("cyber", "Cyber", "", descriptors=("ransom*",))])
    assert matcher.match("Ransom demands hit the hospitals") == {"health-insurance": "hospitals", "cyber": "ransom"}
    assert "kosovo-dialogue" not in matcher.match("The talks on trade")
    assert "kosovo-dialogue" in matcher.match("The talks on Kosovo")
    assert matcher.fallback("Nothing of the sort") == ("conflict-prevention", "fallback: no descriptor matched")


def test_titles_name_the_action_within_100_characters():
    assert make_title("It is essential to set up regional transport networks.") == "Set up regional transport networks"
    assert make_title("The Council calls on Serbia and Kosovo to engage in the dialogue.") == (
        "Serbia and Kosovo: engage in the dialogue"
    )
    long = make_title(
        "Create joint contact centres at the four busiest crossings, staffed by officers of both "
        "neighbouring services and by customs officials of the two states."
    )
    assert long == "Create joint contact centres at the four busiest crossings"


def test_agents_joined_to_the_agent_after_the_modal_are_addressees_too():
    text = "Refugee return must be the duty of national authorities and the international community.\n"
    (item,) = _extract(text).items
    assert {"national-governments", "international-community"} <= set(item.addressed_to)
    text = "Border reform should be the concern of all governments, but also of the European Union.\n"
    (item,) = _extract(text).items
    assert {"national-governments", "eu"} <= set(item.addressed_to)


def test_a_minority_named_in_the_singular_is_the_minorities_target_group():
    (item,) = _extract("The rights of the Roma minority must be protected in every school.\n", "report").items
    assert {"roma", "minorities"} <= set(item.addressed_to)


def test_the_sides_of_a_dialogue_are_its_addressees_and_accession_talks_have_none():
    text = (
        "The dialogue between Kosovo and Serbia resumed in Brussels.\n\n"
        "The envoy said Moscow will be calling for negotiations to continue next year.\n\n"
        "Albania called on the EU to open its accession talks.\n"
    )
    call, accession = _extract(text, "news_article").items
    assert {"kosovo", "serbia"} <= set(call.addressed_to)
    assert call.explanation["addressed_to"]["kosovo"] == "the sides of the negotiation it is about"
    assert not {"kosovo", "serbia"} & set(accession.addressed_to)


def test_both_parties_are_the_sides_of_a_negotiation_not_any_pair_of_states():
    # "Bulgaria and Romania" joined the EU: no negotiation, so "the parties" are Kosovo and Serbia, whom
    # the statement names (even only as places) as the region's standing negotiation.
    text = (
        "The accession of Bulgaria and Romania will contribute to the stability of the region.\n\n"
        "The Forum calls on the parties to find the solutions themselves, as violence in Kosovo and in Serbia "
        "would harm everyone.\n"
    )
    items = _extract(text).items
    call = next(item for item in items if "parties" in item.text)
    assert {"kosovo", "serbia"} <= set(call.addressed_to)
    assert not {"bulgaria", "romania"} & set(call.addressed_to)


def test_a_themed_sections_heading_names_who_acts_when_the_item_names_no_one():
    text = (
        "4. Main Regional Objectives\n\n4.10.2. NGO Networks\n\n"
        "Their efficiency must be increased by a close cooperation among them.\n\n"
        "Governments must fund the existing networks.\n\n"
        "4.1.5. The Issue of Minorities\n\nTolerance must be promoted at all levels.\n\n"
        "5. NGO Networks Again\n\nTheir efficiency must be increased by joint projects.\n"
    )
    cooperation, funding, tolerance, outside = _extract(text, "strategy", publisher="ATA").items
    assert cooperation.addressed_to == ("ngos",)
    assert cooperation.explanation["addressed_to"] == {"ngos": "named in the heading of its section"}
    assert funding.addressed_to == ("national-governments",)  # the subject named: the heading adds nothing
    assert set(tolerance.addressed_to) == {"minorities", "countries-of-the-region"}  # a target group on top
    assert outside.addressed_to == ("countries-of-the-region",)  # section 5 has no theme: the default


def test_theme_fallback_ignores_function_words_of_the_descriptions():
    matcher = ThemeMatcher(THEMES)
    # "against" (border security: "against smuggling") and "within" are no reason for a theme
    assert matcher.fallback("They warned against delays within the coming weeks") == (
        "conflict-prevention",
        "fallback: no descriptor matched",
    )
    assert matcher.fallback("The judiciary must decide within sixty days")[0] == "independent-justice"


def test_a_target_group_as_the_subject_leaves_the_implicit_addressee_of_a_law():
    (item,) = _extract("Minority rights must be protected by new legislation.\n", "report").items
    assert set(item.addressed_to) == {"minorities", "national-governments"}


def test_a_state_policy_made_is_for_national_governments():
    (made,) = _extract("There must be a clear policy of compensation for the victims.\n", "report").items
    assert made.addressed_to == ("national-governments",)
    (adopted,) = _extract("Fair asylum policies have to be adopted soon.\n", "report").items
    assert adopted.addressed_to == ("national-governments",)
    # A policy named without being made is no one's in particular: the default.
    (named,) = _extract("Every community should see that stability comes from inclusive policies.\n", "report").items
    assert named.addressed_to == ("countries-of-the-region",)


def test_a_strategy_is_national_unless_shared():
    (national,) = _extract("A strategy for the river basin should be prepared.\n", "report").items
    assert national.addressed_to == ("national-governments",)
    (joint,) = _extract("A joint strategy for the river basin should be prepared.\n", "report").items
    assert joint.addressed_to == ("countries-of-the-region",)


def test_the_region_a_pledge_supports_is_its_third_party():
    (pledge,) = _extract("NATO remains committed to the reconstruction of the whole region.\n", publisher="NATO").items
    assert set(pledge.addressed_to) == {"nato", "countries-of-the-region"}
    # A call names who must act: the region is only where.
    (call,) = _extract("NATO urges Serbia to open its archives to scholars of the region.\n", publisher="NATO").items
    assert call.addressed_to == ("serbia",)


def test_government_named_as_a_level_or_an_actor_is_the_implicit_addressee():
    (level,) = _extract("Water data must be shared at the governmental level.\n", "report").items
    assert level.addressed_to == ("national-governments",)
    (within,) = _extract("Crisis cells within government should meet weekly.\n", "report").items
    assert within.addressed_to == ("national-governments",)
    (other,) = _extract("Non-governmental observers should watch the count.\n", "report").items
    assert other.addressed_to == ("countries-of-the-region",)


def test_adolescents_and_ethnic_communities_are_target_groups():
    (youth,) = _extract("Clinics should offer free advice to adolescents.\n", "report").items
    assert set(youth.addressed_to) == {"youth", "countries-of-the-region"}
    (ethnic,) = _extract("Housing must be offered to ethnic communities displaced by the war.\n", "report").items
    assert set(ethnic.addressed_to) == {"minorities", "countries-of-the-region"}


def test_a_known_body_outside_the_named_ones_counts_for_its_group():
    (item,) = _extract("The experience of BSEC should guide the new ferry links.\n", "report").items
    assert set(item.addressed_to) == {"bsec", "international-organisations"}
    assert "one of the international organisations" in item.explanation["addressed_to"]["international-organisations"]


def test_council_conclusions_invite_the_commission():
    (item,) = _extract("The Council invites the Commission to report on visa-free travel.\n", publisher="NATO").items
    assert item.addressed_to == ("european-commission",)


def test_the_subject_stands_before_its_relative_clause():
    (item,) = _extract("The mayors, who were elected last spring, should publish their budgets.\n", "report").items
    assert item.addressed_to == ("local-authorities",)


def test_both_governments_are_the_two_sides_of_the_talks():
    text = "Talks between Serbia and Kosovo resumed.\n\nThe envoy called on both governments to reopen the crossing.\n"
    item = _extract(text, "news_article", publisher="Adriatic Herald").items[-1]
    assert set(item.addressed_to) == {"serbia", "kosovo"}


def test_a_quoted_we_must_is_for_the_speakers_body():
    text = "“We must keep the northern bridges safe this winter,” Mark Rutte said.\n"
    (item,) = _extract(text, "news_article", publisher="Adriatic Herald").items
    assert "nato" in item.made_by
    assert item.addressed_to == ("nato",)


def test_the_actor_a_task_is_for_acts():
    text = "Flood maps should be updated yearly, a task for municipalities and civil society.\n"
    (item,) = _extract(text, "report").items
    assert set(item.addressed_to) == {"local-authorities", "civil-society"}


def test_reported_must_is_the_speakers_own_action():
    text = "Mark Rutte told reporters that NATO must keep the northern bridges safe.\n"
    (item,) = _extract(text, "news_article", publisher="Adriatic Herald").items
    assert (item.kind, item.made_by, item.addressed_to) == ("commitment", ("mark-rutte", "nato"), ("nato",))
    assert item.explanation["addressed_to"] == {"nato": "the subject of the modal"}


def test_a_speaker_with_no_known_body_is_the_addressee_of_their_own_pledge():
    # ANNOTATION.md: a pledge of the maker's own action is addressed to the maker, not to the default group.
    text = 'Dragana Vuković said: "We will reopen the ferry line across the lake in May."\n'
    (item,) = _extract(text, "news_article", publisher="Adriatic Herald").items
    assert (item.made_by, item.addressed_to) == (("dragana-vukovic",), ("dragana-vukovic",))
    assert item.explanation["addressed_to"] == {"dragana-vukovic": "the maker's own pledge"}


@pytest.mark.parametrize(
    ("text", "publisher", "made_by"),
    [
        # The adjective of the title, "of <state>", the one state of the sentence before, a public publisher.
        (
            'The Albanian Interior Minister told reporters: "We will close the old quarry road."',
            "Adriatic Herald",
            "albania",
        ),
        (
            'The Prime Minister of Montenegro said: "We will close the old quarry road."',
            "Adriatic Herald",
            "montenegro",
        ),
        (
            'Heavy rain flooded Kosovo again. The Prime Minister said in a statement: "We will close the quarry road."',
            "Adriatic Herald",
            "kosovo",
        ),
        ('The Prime Minister said in a statement: "We will close the old quarry road."', "Croatia", "croatia"),
        # Two states before it say nothing of whose office it is; a news outlet holds no office: a new actor.
        (
            'Serbia and Hungary met. The Prime Minister said in a statement: "We will close the quarry road."',
            "Adriatic Herald",
            "prime-minister",
        ),
    ],
)
def test_a_speaker_named_by_office_alone_speaks_for_the_body_the_text_says(text, publisher, made_by):
    doc = _extract(text + "\n", "news_article", publisher=publisher)
    (item,) = doc.items
    assert (item.made_by, item.addressed_to) == ((made_by,), (made_by,))
    assert [a.slug for a in doc.new_actors] == (["prime-minister"] if made_by == "prime-minister" else [])

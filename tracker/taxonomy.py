"""The default theme taxonomy: plain data, no ORM.

The ATA strategy's eleven "Main Regional Objectives" (sections 4.1 to 4.11) with
their sub-objectives as children, plus the themes the statements need that the
strategy lacks. A data migration loads it; the importer refers to themes by slug.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class ThemeSpec:
    slug: str
    name: str
    description: str
    code: str = ""  # the strategy section the theme comes from, e.g. "4.3.1"
    parent: str | None = None  # slug of the parent theme


THEMES: tuple[ThemeSpec, ...] = (
    ThemeSpec(
        "conflict-prevention",
        "Conflict Prevention and Crisis Management",
        "Preventing conflicts and managing crises between and within the countries of the region.",
        "4.1",
    ),
    ThemeSpec(
        "building-trust",
        "Building Trust",
        "Confidence-building, reconciliation and exchanges between the peoples of the region.",
        "4.1.1",
        "conflict-prevention",
    ),
    ThemeSpec(
        "societal-security",
        "Societal Security",
        "Security of society as a whole: identities, inter-ethnic and inter-religious relations.",
        "4.1.2",
        "conflict-prevention",
    ),
    ThemeSpec(
        "territorial-disputes",
        "Settling Ethnic Nationalist and Territorial Disputes",
        "Peaceful settlement of ethnic, nationalist and territorial disputes.",
        "4.1.3",
        "conflict-prevention",
    ),
    ThemeSpec(
        "refugees-and-displaced-persons",
        "Dealing with Unreturned Refugees and Displaced Persons",
        "Return and integration of refugees and internally displaced persons.",
        "4.1.4",
        "conflict-prevention",
    ),
    ThemeSpec(
        "minorities",
        "The Issue of Minorities",
        "Rights, protection and participation of national minorities.",
        "4.1.5",
        "conflict-prevention",
    ),
    ThemeSpec(
        "terrorism",
        "Dealing with the Threat of Terrorism",
        "Preventing and countering terrorism, alone and in its links to organised crime.",
        "4.1.6",
        "conflict-prevention",
    ),
    ThemeSpec(
        "it-security",
        "IT Security",
        "Security of information systems and the legal framework for it.",
        "4.1.7",
        "conflict-prevention",
    ),
    ThemeSpec(
        "security-sector-reform",
        "Security Sector Reform",
        "Reform of armies, police and intelligence under democratic control.",
        "4.2",
    ),
    ThemeSpec(
        "army-professionalization",
        "Professionalization of the Army",
        "Moving from conscript armies to professional, interoperable forces.",
        "4.2.1",
        "security-sector-reform",
    ),
    ThemeSpec(
        "civilian-control",
        "Civilian Control",
        "Democratic and parliamentary oversight of the armed forces and security services.",
        "4.2.2",
        "security-sector-reform",
    ),
    ThemeSpec(
        "police-demilitarization",
        "Police Demilitarization",
        "Turning police forces into a civilian service close to the citizens.",
        "4.2.3",
        "security-sector-reform",
    ),
    ThemeSpec(
        "border-security",
        "Border Security Management",
        "Securing the borders of the region against smuggling and transborder crime.",
        "4.3",
    ),
    ThemeSpec(
        "border-monitoring",
        "Monitoring and Surveillance",
        "Joint border monitoring and surveillance systems.",
        "4.3.1",
        "border-security",
    ),
    ThemeSpec(
        "illegal-immigration",
        "Control of Illegal Immigration",
        "Controlling illegal immigration and trafficking in human beings.",
        "4.3.2",
        "border-security",
    ),
    ThemeSpec(
        "visa-regimes",
        "Flexible Visas Regimes",
        "Visa regimes that ease legitimate travel inside the region and to the EU.",
        "4.3.3",
        "border-security",
    ),
    ThemeSpec("salw", "Control and Removal of SALW", "Control and removal of small arms and light weapons.", "4.4"),
    ThemeSpec(
        "organized-crime-and-corruption",
        "Fighting Organized Crime and Corruption",
        "Fighting organised crime and corruption, alone and through regional co-operation.",
        "4.5",
    ),
    ThemeSpec(
        "rule-of-law",
        "Strengthening the Rule of Law",
        "Independent justice, better legislation and good governance.",
        "4.6",
    ),
    ThemeSpec(
        "independent-justice",
        "Independent Justice",
        "Independence and efficiency of the judiciary.",
        "4.6.1",
        "rule-of-law",
    ),
    ThemeSpec(
        "improving-legislation",
        "Improving Legislation",
        "Bringing legislation in line with European and international standards.",
        "4.6.2",
        "rule-of-law",
    ),
    ThemeSpec(
        "good-governance",
        "Good Governance",
        "Transparent, accountable and efficient public administration.",
        "4.6.3",
        "rule-of-law",
    ),
    ThemeSpec(
        "economic-development",
        "Promoting Economic Development",
        "Trade, investment, energy and infrastructure for a prosperous region.",
        "4.7",
    ),
    ThemeSpec(
        "free-trade-area",
        "Free Trade Area",
        "Free trade agreements and a regional free trade area.",
        "4.7.1",
        "economic-development",
    ),
    ThemeSpec(
        "foreign-investments",
        "Foreign Investments",
        "Attracting foreign investment and a business-friendly climate.",
        "4.7.2",
        "economic-development",
    ),
    ThemeSpec(
        "energy-security", "Energy Security", "Secure and diversified energy supplies.", "4.7.3", "economic-development"
    ),
    ThemeSpec(
        "critical-infrastructure",
        "Critical Infrastructure Protection",
        "Protecting critical infrastructure through legislation and co-operation.",
        "4.7.4",
        "economic-development",
    ),
    ThemeSpec(
        "transport-infrastructure",
        "Improvement of Transport Infrastructure",
        "Regional transport and communication networks.",
        "4.8",
    ),
    ThemeSpec(
        "social-cohesion", "Social Cohesion", "Social protection, health and the inclusion of vulnerable groups.", "4.9"
    ),
    ThemeSpec(
        "social-protection",
        "Social Protection",
        "Social protection systems and the fight against poverty.",
        "4.9.1",
        "social-cohesion",
    ),
    ThemeSpec(
        "health-insurance",
        "Health Insurance",
        "Health insurance and public health security.",
        "4.9.2",
        "social-cohesion",
    ),
    ThemeSpec(
        "roma-issue",
        "Management of the Roma Issue",
        "Inclusion of the Roma minority, including a Regional Roma Centre.",
        "4.9.3",
        "social-cohesion",
    ),
    ThemeSpec(
        "education-ngos-youth",
        "Education and Research Improvement. NGOs and Youth Involvement",
        "Education, research, civil society networks, youth and the media.",
        "4.10",
    ),
    ThemeSpec(
        "education-and-research",
        "Education and Research Improvement",
        "Education systems, research and joint teaching materials.",
        "4.10.1",
        "education-ngos-youth",
    ),
    ThemeSpec(
        "ngo-networks",
        "NGO Networks",
        "Networks of non-governmental organisations across the region.",
        "4.10.2",
        "education-ngos-youth",
    ),
    ThemeSpec(
        "media-cooperation",
        "Mass Media Cooperation",
        "Co-operation between the media of the region.",
        "4.10.3",
        "education-ngos-youth",
    ),
    ThemeSpec(
        "environment-and-disasters",
        "Environmental Protection and Disaster Management",
        "Environmental protection, food security and natural hazards.",
        "4.11",
    ),
    ThemeSpec(
        "environmental-monitoring",
        "Regional Environmental Monitoring",
        "Regional monitoring of the environment.",
        "4.11.1",
        "environment-and-disasters",
    ),
    ThemeSpec(
        "ecological-agriculture",
        "Ecological Agriculture. Food Security",
        "Ecological agriculture and food security.",
        "4.11.2",
        "environment-and-disasters",
    ),
    ThemeSpec(
        "natural-hazards",
        "Natural Hazards Management",
        "Early warning and rapid reaction to natural hazards and disasters.",
        "4.11.3",
        "environment-and-disasters",
    ),
    ThemeSpec(
        "resources-preservation",
        "Resources Preservation",
        "Preserving natural resources, new energy sources and recycling.",
        "4.11.4",
        "environment-and-disasters",
    ),
    # Themes the statements need that the strategy lacks.
    ThemeSpec(
        "euro-atlantic-integration",
        "Euro-Atlantic integration",
        "Membership of the countries of the region in NATO and the European Union.",
    ),
    ThemeSpec(
        "eu-integration",
        "EU integration and enlargement",
        "The European perspective, accession and enlargement of the European Union.",
        parent="euro-atlantic-integration",
    ),
    ThemeSpec(
        "nato-integration",
        "NATO partnership and membership",
        "NATO partnership, membership aspirations and enlargement.",
        parent="euro-atlantic-integration",
    ),
    ThemeSpec(
        "kosovo-dialogue",
        "Kosovo status and the Kosovo-Serbia dialogue",
        "The future status of Kosovo and the normalisation dialogue between Kosovo and Serbia.",
    ),
    ThemeSpec(
        "peacekeeping",
        "Peacekeeping and international military presence",
        "International peacekeeping forces in the region, such as KFOR.",
    ),
    ThemeSpec(
        "democracy-and-human-rights",
        "Democracy and human rights",
        "Democratic institutions, equality of citizens and respect for human rights.",
    ),
)

THEMES_BY_SLUG = {theme.slug: theme for theme in THEMES}
THEMES_BY_CODE = {theme.code: theme for theme in THEMES if theme.code}


# Themes outside the strategy's objectives that ANNOTATION.md files under one of them.
_FILED_UNDER = {"peacekeeping": "conflict-prevention", "democracy-and-human-rights": "rule-of-law"}


def objective_of(slug: str) -> str:
    """The top-level objective a theme counts for (a sub-objective counts for its objective)."""
    seen = set()
    while slug in THEMES_BY_SLUG and THEMES_BY_SLUG[slug].parent and slug not in seen:
        seen.add(slug)
        slug = THEMES_BY_SLUG[slug].parent
    return _FILED_UNDER.get(slug, slug)

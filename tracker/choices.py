"""The values and labels of the tracker's choices, as plain data: no Django.

One place for them. ``tracker.enums`` builds its ``TextChoices`` from these tables, and the
extraction library (``corpus_import``, pure Python) validates its records against them, so the
two can never disagree and the extraction never has to import Django.

Each table is ``(MEMBER_NAME, value, label)``.
"""

DOCUMENT_KINDS = (
    ("STRATEGY", "strategy", "Strategy"),
    ("STATEMENT", "statement", "Statement"),
    ("NEWS_ARTICLE", "news_article", "News article"),
    ("WEB_ARTICLE", "web_article", "Web article"),
    ("COMMUNIQUE", "communique", "Communiqué"),
    ("REPORT", "report", "Report"),
    ("OTHER", "other", "Other"),
)

DATE_PRECISIONS = (
    ("DAY", "day", "Day"),
    ("MONTH", "month", "Month"),
    ("YEAR", "year", "Year"),
    ("UNKNOWN", "unknown", "Unknown"),
)

ACTOR_KINDS = (
    ("STATE", "state", "State"),
    ("INTERNATIONAL_ORGANISATION", "international_organisation", "International organisation"),
    ("REGIONAL_INITIATIVE", "regional_initiative", "Regional initiative"),
    ("GOVERNMENT_BODY", "government_body", "Government body"),
    ("CIVIL_SOCIETY", "civil_society", "Civil-society group"),
    ("PERSON", "person", "Person"),
    ("GROUP", "group", "Group of actors"),
)

ITEM_KINDS = (
    ("RECOMMENDATION", "recommendation", "Recommendation"),
    ("COMMITMENT", "commitment", "Commitment"),
    # An article author's own proposal, with no named actor behind it: kept apart from commitments.
    ("PROPOSAL", "proposal", "Author's proposal"),
)

STRENGTHS = (
    ("MUST", "must", "Must"),
    ("SHOULD", "should", "Should"),
    ("COULD", "could", "Could"),
)

REVIEW_STATES = (
    ("NEEDS_REVIEW", "needs_review", "Needs review"),
    ("CONFIRMED", "confirmed", "Confirmed"),
    ("REJECTED", "rejected", "Rejected"),
)

STATUSES = (
    ("NOT_STARTED", "not_started", "Not started"),
    ("IN_PROGRESS", "in_progress", "In progress"),
    ("PARTIALLY_IMPLEMENTED", "partially_implemented", "Partially implemented"),
    ("IMPLEMENTED", "implemented", "Implemented"),
    ("STALLED", "stalled", "Stalled"),
    ("SUPERSEDED", "superseded", "Superseded"),
    ("UNKNOWN", "unknown", "Unknown"),
)

LINK_KINDS = (
    ("RESTATES", "restates", "Restates"),
    ("FOLLOWS_UP", "follows_up", "Follows up"),
    ("IMPLEMENTS", "implements", "Implements"),
    ("CONTRADICTS", "contradicts", "Contradicts"),
)


def values(table: tuple[tuple[str, str, str], ...]) -> tuple[str, ...]:
    return tuple(value for _, value, _ in table)

"""Choices shared by the models, filters, API and templates."""

from django.db import models


class DocumentKind(models.TextChoices):
    STRATEGY = "strategy", "Strategy"
    STATEMENT = "statement", "Statement"
    NEWS_ARTICLE = "news_article", "News article"
    WEB_ARTICLE = "web_article", "Web article"
    COMMUNIQUE = "communique", "Communiqué"
    REPORT = "report", "Report"
    OTHER = "other", "Other"


class DatePrecision(models.TextChoices):
    DAY = "day", "Day"
    MONTH = "month", "Month"
    YEAR = "year", "Year"
    UNKNOWN = "unknown", "Unknown"


class ActorKind(models.TextChoices):
    STATE = "state", "State"
    INTERNATIONAL_ORGANISATION = "international_organisation", "International organisation"
    REGIONAL_INITIATIVE = "regional_initiative", "Regional initiative"
    GOVERNMENT_BODY = "government_body", "Government body"
    CIVIL_SOCIETY = "civil_society", "Civil-society group"
    PERSON = "person", "Person"
    GROUP = "group", "Group of actors"


class ItemKind(models.TextChoices):
    RECOMMENDATION = "recommendation", "Recommendation"
    COMMITMENT = "commitment", "Commitment"
    # An article author's own proposal, with no named actor behind it: kept apart from commitments.
    PROPOSAL = "proposal", "Author's proposal"


class Strength(models.TextChoices):
    MUST = "must", "Must"
    SHOULD = "should", "Should"
    COULD = "could", "Could"


class ReviewState(models.TextChoices):
    NEEDS_REVIEW = "needs_review", "Needs review"
    CONFIRMED = "confirmed", "Confirmed"
    REJECTED = "rejected", "Rejected"


class Status(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    PARTIALLY_IMPLEMENTED = "partially_implemented", "Partially implemented"
    IMPLEMENTED = "implemented", "Implemented"
    STALLED = "stalled", "Stalled"
    SUPERSEDED = "superseded", "Superseded"
    UNKNOWN = "unknown", "Unknown"

    @classmethod
    def label_of(cls, value: str) -> str:
        """The label of a status value; a value not on the scale (data from elsewhere) is shown as it is."""
        return cls(value).label if value in cls.values else value


# The published one-line definition of each status: served by the API and the status scale page.
STATUS_DEFINITIONS: dict[str, str] = {
    Status.NOT_STARTED: "No step towards it has been taken by the actors who must act.",
    Status.IN_PROGRESS: "Work has begun and is continuing, but nothing it asks for is delivered yet.",
    Status.PARTIALLY_IMPLEMENTED: "Some of what it asks for is delivered; the rest is not.",
    Status.IMPLEMENTED: "What it asks for has been delivered in full.",
    Status.STALLED: "Work began but has stopped, or is blocked, with no progress in the last assessment.",
    Status.SUPERSEDED: "Overtaken by later events, decisions or commitments; no longer pursued as written.",
    Status.UNKNOWN: "Not yet assessed, or the evidence does not allow a judgement.",
}


class LinkKind(models.TextChoices):
    RESTATES = "restates", "Restates"
    FOLLOWS_UP = "follows_up", "Follows up"
    IMPLEMENTS = "implements", "Implements"
    CONTRADICTS = "contradicts", "Contradicts"


# What the other labels on an item mean (the status scale page explains them beside the statuses).
KIND_DEFINITIONS: dict[str, str] = {
    ItemKind.RECOMMENDATION: "Advice in a strategy or report on what someone should do (the ATA strategy's proposals).",
    ItemKind.COMMITMENT: "A pledge, reaffirmed support or stated intention by a named actor (statements, articles).",
    ItemKind.PROPOSAL: "An article author's own proposal that names no actor who made it.",
}
STRENGTH_DEFINITIONS: dict[str, str] = {
    Strength.MUST: "Put as an obligation (must, shall, have to, need to, it is essential or imperative), "
    "or a firm pledge (will, pledges, commits).",
    Strength.SHOULD: "Put as advice (should, ought to, it is important or recommended), or a softer stated support.",
    Strength.COULD: "Put as an option (could or can be set up, established, developed).",
}
REVIEW_STATE_DEFINITIONS: dict[str, str] = {
    ReviewState.NEEDS_REVIEW: "Taken from the text by the import; a reviewer has not yet checked its wording, "
    "actors and themes against the source.",
    ReviewState.CONFIRMED: "A reviewer has checked it against the source.",
    ReviewState.REJECTED: "A reviewer found it is not a recommendation or commitment (kept, so a re-import "
    "does not bring it back).",
}

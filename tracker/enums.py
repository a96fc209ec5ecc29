"""Choices shared by the models, filters, API and templates.

Built from the plain tables in ``tracker.choices`` (the one place the values live, importable
without Django by the extraction library).
"""

from django.db import models

from tracker import choices


def _choices(name: str, table) -> type[models.TextChoices]:
    return models.TextChoices(name, [(member, (value, label)) for member, value, label in table], module=__name__)


DocumentKind = _choices("DocumentKind", choices.DOCUMENT_KINDS)
DatePrecision = _choices("DatePrecision", choices.DATE_PRECISIONS)
ActorKind = _choices("ActorKind", choices.ACTOR_KINDS)
ItemKind = _choices("ItemKind", choices.ITEM_KINDS)
Strength = _choices("Strength", choices.STRENGTHS)
ReviewState = _choices("ReviewState", choices.REVIEW_STATES)
LinkKind = _choices("LinkKind", choices.LINK_KINDS)
Status = _choices("Status", choices.STATUSES)


def _status_label_of(cls, value: str) -> str:
    """The label of a status value; a value not on the scale (data from elsewhere) is shown as it is."""
    return cls(value).label if value in cls.values else value


Status.label_of = classmethod(_status_label_of)

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

"""The tracker's records: documents, their sections, actors, themes, items and their evidence."""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.urls import reverse
from simple_history.models import HistoricalRecords

from tracker.enums import (
    ActorKind,
    DatePrecision,
    DocumentKind,
    ItemKind,
    LinkKind,
    ReviewState,
    Status,
    Strength,
)
from tracker.querysets import ItemQuerySet, ThemeQuerySet

sha256_validator = RegexValidator(r"^[0-9a-f]{64}$", "Enter a lowercase hexadecimal SHA-256 (64 characters).")
iso_code_validator = RegexValidator(r"^[A-Z]{2}$", "Enter an ISO 3166-1 alpha-2 code: two capital letters.")


def _choices_check(field: str, choices, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(condition=Q(**{f"{field}__in": choices.values}), name=name)


def _span_checks(prefix: str) -> list[models.CheckConstraint]:
    return [
        models.CheckConstraint(condition=Q(start__gte=0), name=f"{prefix}_start_not_negative"),
        models.CheckConstraint(condition=Q(end__gt=models.F("start")), name=f"{prefix}_end_after_start"),
    ]


def _validate_span(document, start, end) -> None:
    """Shared by sections, boilerplate spans and citations: the span must lie inside the text."""
    if start is None or end is None or document is None:
        return
    if start < 0 or end <= start:
        raise ValidationError({"end": f"The span {start}-{end} is empty or reversed."})
    if end > len(document.text):
        raise ValidationError(
            {"end": f"The span {start}-{end} ends after the document's text ({len(document.text)} characters)."}
        )


class Document(models.Model):
    slug = models.SlugField(max_length=100, unique=True)
    reference_prefix = models.CharField(
        max_length=32,
        unique=True,
        validators=[RegexValidator(r"^[A-Z0-9][A-Z0-9-]*$", "Capital letters, digits and hyphens only.")],
        help_text='Starts the reference of every item from this document, e.g. "ATA-2006".',
    )
    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=20, choices=DocumentKind.choices)
    publisher = models.CharField(max_length=200, blank=True)
    author = models.CharField(max_length=200, blank=True)
    published = models.DateField(
        null=True, blank=True, help_text="First day of the month or year when the precision is coarser."
    )
    date_precision = models.CharField(max_length=10, choices=DatePrecision.choices, default=DatePrecision.UNKNOWN)
    url = models.URLField(max_length=500, blank=True)
    archived_url = models.URLField(
        max_length=500, blank=True, help_text="A copy in a web archive (e.g. the Wayback Machine), when known."
    )
    language = models.CharField(max_length=8, default="en")
    sha256 = models.CharField(max_length=64, validators=[sha256_validator], help_text="SHA-256 of the UTF-8 text.")
    text = models.TextField(help_text="The verbatim source text that citations point into.")
    source_file = models.CharField(max_length=300, blank=True)
    # Hash of the text and of the extraction code that last imported it: a re-import with both
    # unchanged skips the document without extracting it again.
    import_fingerprint = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["published", "slug"]
        constraints = [
            _choices_check("kind", DocumentKind, "document_kind_valid"),
            _choices_check("date_precision", DatePrecision, "document_date_precision_valid"),
            # A date and its precision travel together: no date means "unknown", and vice versa.
            models.CheckConstraint(
                condition=Q(published__isnull=True, date_precision=DatePrecision.UNKNOWN)
                | (Q(published__isnull=False) & ~Q(date_precision=DatePrecision.UNKNOWN)),
                name="document_date_matches_precision",
            ),
            models.CheckConstraint(condition=Q(sha256__regex=r"^[0-9a-f]{64}$"), name="document_sha256_hex"),
        ]
        indexes = [
            # Dashboard timeline and document lists ordered by date.
            models.Index(fields=["published", "slug"], name="document_published_idx"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("tracker:document-detail", kwargs={"slug": self.slug})

    @property
    def date_display(self) -> str:
        if self.published is None:
            return "date unknown"
        formats = {DatePrecision.DAY: "%-d %B %Y", DatePrecision.MONTH: "%B %Y", DatePrecision.YEAR: "%Y"}
        return self.published.strftime(formats.get(self.date_precision, "%Y-%m-%d"))


class SourceFile(models.Model):
    """The file a document's text was read from (PDF, HTML page or the text file), kept as given so
    that the verbatim text can be regenerated and checked against it."""

    document = models.OneToOneField(Document, on_delete=models.CASCADE, related_name="source")
    name = models.CharField(max_length=300)
    media_type = models.CharField(max_length=100)
    sha256 = models.CharField(max_length=64, validators=[sha256_validator], help_text="SHA-256 of the file's bytes.")
    content = models.BinaryField()
    # PDF sources: the offset in document.text where each page starts, so a citation can say "p. 4".
    page_starts = models.JSONField(default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(sha256__regex=r"^[0-9a-f]{64}$"), name="source_sha256_hex")]

    def __str__(self):
        return f"{self.name} ({self.media_type})"

    def page_at(self, offset: int) -> int | None:
        import bisect

        return (bisect.bisect_right(self.page_starts, offset) or 1) if self.page_starts else None


class BoilerplateSpan(models.Model):
    """A stretch of a source that is not the document proper (banner, cookie notice): shown apart, never cited."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="boilerplate_spans")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    label = models.CharField(max_length=100)

    class Meta:
        ordering = ["document", "start"]
        constraints = _span_checks("boilerplate")
        indexes = [
            # Reading view: a document's spans in text order.
            models.Index(fields=["document", "start"], name="boilerplate_document_start_idx"),
        ]

    def __str__(self):
        return f"{self.label} ({self.start}-{self.end})"

    def clean(self):
        _validate_span(getattr(self, "document", None), self.start, self.end)


class Section(models.Model):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="sections")
    number = models.CharField(max_length=20, blank=True, help_text='e.g. "4.3.1"; "ES" for the executive summary.')
    heading = models.CharField(max_length=300, blank=True)
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")

    history = HistoricalRecords()

    class Meta:
        ordering = ["document", "start"]
        constraints = [
            *_span_checks("section"),
            # A section can contain itself no more than a document can: no self-parenting.
            models.CheckConstraint(condition=~Q(parent=models.F("id")), name="section_not_own_parent"),
            # Two sections may share a number (the ATA strategy has "2.5." twice) but not a start.
            models.UniqueConstraint(fields=["document", "start"], name="section_unique_start_per_document"),
        ]
        indexes = [
            # Citation admin and API filter: sections of one document by number.
            models.Index(fields=["document", "number"], name="section_document_number_idx"),
        ]

    def __str__(self):
        label = " ".join(part for part in (self.number, self.heading) if part)
        return label or f"Section at {self.start}"

    def clean(self):
        _validate_span(getattr(self, "document", None), self.start, self.end)
        if self.parent_id and self.parent.document_id != self.document_id:
            raise ValidationError({"parent": "The parent section belongs to another document."})


class Actor(models.Model):
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    kind = models.CharField(max_length=30, choices=ActorKind.choices)
    aliases = models.JSONField(default=list, blank=True, help_text="Other names the importer recognises.")
    iso_code = models.CharField(
        "ISO 3166 code", max_length=2, blank=True, validators=[iso_code_validator], help_text="States only."
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
        help_text="The organisation or state this actor speaks for (the NATO Secretary General for NATO).",
    )
    needs_review = models.BooleanField(
        default=False,
        help_text="Created by the import from a name it did not know (a new publisher, signatory or speaker): "
        "check its kind and parent, then clear this.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            _choices_check("kind", ActorKind, "actor_kind_valid"),
            models.CheckConstraint(
                condition=Q(iso_code="") | Q(kind=ActorKind.STATE, iso_code__regex=r"^[A-Z]{2}$"),
                name="actor_iso_code_only_for_states",
            ),
            models.UniqueConstraint(fields=["iso_code"], condition=~Q(iso_code=""), name="actor_unique_iso_code"),
            models.CheckConstraint(condition=~Q(parent=models.F("id")), name="actor_not_own_parent"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("tracker:actor-detail", kwargs={"slug": self.slug})

    def clean(self):
        if self.iso_code and self.kind != ActorKind.STATE:
            raise ValidationError({"iso_code": "Only states have an ISO 3166 code."})
        if not isinstance(self.aliases, list) or not all(isinstance(a, str) for a in self.aliases):
            raise ValidationError({"aliases": "Aliases must be a list of names."})
        if any("\x00" in alias for alias in self.aliases):  # PostgreSQL's jsonb refuses NUL (a 500)
            raise ValidationError({"aliases": "Null characters are not allowed."})


class Theme(models.Model):
    slug = models.SlugField(max_length=100, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    code = models.CharField(max_length=20, blank=True, help_text='The strategy section it comes from, e.g. "4.3.1".')
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    # Slugs from the root down, "/"-joined: descendants are one indexed prefix match away.
    path = models.CharField(max_length=500, unique=True, editable=False)
    position = models.PositiveIntegerField(default=0, help_text="Order among siblings.")
    descriptors = models.JSONField(
        default=list,
        blank=True,
        help_text='Words and phrases that put an imported item under this theme (case-insensitive; "*" ends a '
        'stem, as "migra*"; an entry starting with "+" is context the item must also name). The import matches them.',
    )

    objects = ThemeQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(condition=~Q(parent=models.F("id")), name="theme_not_own_parent"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        old_path = self.path
        self.path = f"{self.parent.path}/{self.slug}" if self.parent_id else self.slug
        super().save(*args, **kwargs)
        if old_path and old_path != self.path:
            for child in self.children.all():
                child.save()

    def get_absolute_url(self):
        return reverse("tracker:theme-detail", kwargs={"slug": self.slug})

    @property
    def depth(self) -> int:
        return self.path.count("/")

    def clean(self):
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk and self.pk is not None:
                raise ValidationError({"parent": "A theme cannot be its own ancestor."})
            ancestor = ancestor.parent


class Item(models.Model):
    kind = models.CharField(max_length=20, choices=ItemKind.choices)
    reference = models.CharField(
        max_length=64,
        unique=True,
        validators=[RegexValidator(r"^[A-Z0-9][A-Za-z0-9.-]*$", "Letters, digits, dots and hyphens only.")],
        help_text='Stable reference, e.g. "ATA-2006-4.3.1-02".',
    )
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="items")
    section = models.ForeignKey(Section, null=True, blank=True, on_delete=models.SET_NULL, related_name="items")
    # Identity for re-imports: derived from the document and the text, never from run order.
    source_key = models.CharField(max_length=64, blank=True, editable=False)
    title = models.CharField(max_length=200)
    text = models.TextField()
    made_by = models.ManyToManyField(Actor, related_name="items_made", blank=True)
    addressed_to = models.ManyToManyField(Actor, related_name="items_addressed", blank=True)
    themes = models.ManyToManyField(Theme, related_name="items", blank=True)
    strength = models.CharField(max_length=10, choices=Strength.choices, default=Strength.SHOULD)
    review_state = models.CharField(max_length=20, choices=ReviewState.choices, default=ReviewState.NEEDS_REVIEW)
    # Denormalised from the latest StatusUpdate by tracker.services; the history itself is never overwritten.
    status = models.CharField(max_length=30, choices=Status.choices, default=Status.UNKNOWN, editable=False)
    target_date = models.DateField(null=True, blank=True)
    date = models.DateField(null=True, blank=True, help_text="The date of its document.")
    is_orphaned = models.BooleanField(
        default=False, help_text="Its text is no longer in the latest import of its document."
    )
    # Written by the import: which rule made the item and why each actor and theme was given.
    extraction = models.JSONField(default=dict, blank=True, editable=False)
    # Set when a reviewer places its citations (workbench: created, moved, split, merged): a re-import
    # then only follows their passages through edits and never resets them to what it extracts.
    # (Database defaults too, like the fields below: tracker.synthetic inserts rows by raw SQL / COPY.)
    citations_curated = models.BooleanField(default=False, db_default=False, editable=False)
    # Extraction keys of items merged into this one, so that a re-import does not bring them back.
    absorbed_keys = models.JSONField(default=list, db_default=[], blank=True, editable=False)
    # Kept up to date by a PostgreSQL trigger (migration 0002); unused on SQLite.
    search_vector = SearchVectorField(null=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ItemQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[made_by, addressed_to, themes], excluded_fields=["search_vector"])

    class Meta:
        ordering = ["id"]
        constraints = [
            _choices_check("kind", ItemKind, "item_kind_valid"),
            _choices_check("strength", Strength, "item_strength_valid"),
            _choices_check("review_state", ReviewState, "item_review_state_valid"),
            _choices_check("status", Status, "item_status_valid"),
            models.UniqueConstraint(
                fields=["document", "source_key"], condition=~Q(source_key=""), name="item_unique_source_key"
            ),
            models.CheckConstraint(condition=~Q(title=""), name="item_title_not_empty"),
            models.CheckConstraint(condition=~Q(text=""), name="item_text_not_empty"),
        ]
        indexes = [
            # Item list filtered by status, ordered by id (API and public list, admin filter).
            models.Index(fields=["status", "id"], name="item_status_id_idx"),
            # Filter by kind, ordered by id.
            models.Index(fields=["kind", "id"], name="item_kind_id_idx"),
            # Reviewers' queue: the rare "needs review" rows only.
            models.Index(
                fields=["id"], condition=Q(review_state=ReviewState.NEEDS_REVIEW), name="item_needs_review_idx"
            ),
            models.Index(fields=["review_state", "id"], name="item_review_state_id_idx"),
            # Items of one document (reading view, document filter) in text order.
            models.Index(fields=["document", "section"], name="item_document_section_idx"),
            # Ordering and date-range filters.
            models.Index(fields=["date", "id"], name="item_date_id_idx"),
            # Dashboard "recently updated".
            models.Index(fields=["-updated_at"], name="item_updated_idx"),
        ]

    def __str__(self):
        return f"{self.reference}: {self.title}"

    def get_absolute_url(self):
        return reverse("tracker:item-detail", kwargs={"reference": self.reference})

    def clean(self):
        # The admin, the API and the importers all validate through here.
        if self.section_id and self.document_id and self.section.document_id != self.document_id:
            raise ValidationError({"section": "The section belongs to another document."})


class ActorRole(models.Model):
    """Every (item, actor, role) of Item.made_by and Item.addressed_to in one table, kept by database triggers.

    The "made by or addressed to" filter is one EXISTS on one index here instead of an OR over two join
    tables (which PostgreSQL could plan well only for popular or only for rare actors). Written only by
    the triggers of migration 0010 on the two join tables, in the same transaction: never save these rows.
    """

    pk = models.CompositePrimaryKey("actor", "item", "role")
    actor = models.ForeignKey(Actor, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    item = models.ForeignKey("Item", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    role = models.CharField(max_length=12, choices=[("made_by", "made by"), ("addressed_to", "addressed to")])

    class Meta:
        indexes = [
            # The filter's probe from an item: EXISTS (... WHERE item_id = <item> AND actor_id IN (...)).
            models.Index(fields=["item", "actor"], name="actor_role_item_actor_idx"),
        ]

    def __str__(self):
        return f"{self.item_id} {self.role} {self.actor_id}"


class ItemCount(models.Model):
    """How many items have each combination of status, kind and one theme, actor and role: kept by the database.

    Triggers (migration 0011, PostgreSQL) add and subtract the changed items' combinations in the same
    statement as the change, so the dashboard, the theme and actor lists and the sidebar of an
    unfiltered or status/kind-filtered list read a few hundred rows instead of counting a million.
    `theme` counts an item under its themes and their ancestors (once each); `role` is made_by,
    addressed_to, any (either role, an item once) or "" with actor 0 (any actor or none); theme 0
    is any theme or none. Rows with a `document` (not 0) have theme 0 and actor 0: items per document.
    SQLite has no triggers for this: tracker.counts computes the same rows from the tables there.
    """

    pk = models.CompositePrimaryKey("status", "kind", "document_id", "theme_id", "actor_id", "role")
    status = models.CharField(max_length=30)
    kind = models.CharField(max_length=20)
    document_id = models.BigIntegerField(default=0)
    theme_id = models.BigIntegerField(default=0)
    actor_id = models.BigIntegerField(default=0)
    role = models.CharField(max_length=12, blank=True)
    n = models.BigIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["role", "theme_id", "actor_id"], name="item_count_role_theme_idx")]

    def __str__(self):
        return f"{self.status}/{self.kind}/{self.document_id}/{self.theme_id}/{self.actor_id}/{self.role}: {self.n}"


class DataVersion(models.Model):
    """One row whose number grows with every committed change to the data the public pages and API show.

    Bumped by triggers (migration 0011) with every statement that writes items, their relations, status
    updates, citations, links, documents, sections, actors or themes: cached pages and counts are keyed by it.
    """

    n = models.BigIntegerField(default=0)

    def __str__(self):
        return str(self.n)


class Citation(models.Model):
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="citations")
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="citations")
    section = models.ForeignKey(Section, null=True, blank=True, on_delete=models.SET_NULL, related_name="citations")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    quote = models.TextField()
    position = models.PositiveSmallIntegerField(default=0, help_text="Order of the citations of one item.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["item", "position", "id"]
        constraints = [
            *_span_checks("citation"),
            # The quote is exactly the span: its length is the span's length (the text itself is checked on save).
            models.CheckConstraint(
                condition=Q(end=models.F("start") + Length("quote")), name="citation_quote_length_matches_span"
            ),
            models.UniqueConstraint(fields=["item", "document", "start", "end"], name="citation_unique_span_per_item"),
        ]
        indexes = [
            # Reading view: every citation of a document in text order.
            models.Index(fields=["document", "start"], name="citation_document_start_idx"),
        ]

    def __str__(self):
        return f"{self.document.slug}[{self.start}:{self.end}]"

    def save(self, *args, boilerplate=None, **kwargs):
        """`boilerplate`: the document's (start, end, label) spans, when the caller has them (see check_quote)."""
        self.check_quote(boilerplate)
        super().save(*args, **kwargs)

    def clean(self):
        if self.section_id and self.document_id and self.section.document_id != self.document_id:
            raise ValidationError({"section": "The section belongs to another document."})
        self.check_quote()

    def check_quote(self, boilerplate=None) -> None:
        """The invariants every citation keeps: quote == document.text[start:end], outside boilerplate.

        `boilerplate`: the document's (start, end, label) spans when the caller has them (the importer).
        """
        document = getattr(self, "document", None) if self.document_id else None
        _validate_span(document, self.start, self.end)
        if document is None:
            return
        if document.text[self.start : self.end] != self.quote:
            raise ValidationError(
                {
                    "quote": f"The quote does not match the text of “{document}” at {self.start}-{self.end}: "
                    f"the document has “{document.text[self.start : self.end][:80]}”."
                }
            )
        if boilerplate is None:
            boilerplate = document.boilerplate_spans.values_list("start", "end", "label")
        for start, end, label in boilerplate:
            if start < self.end and self.start < end:
                raise ValidationError(
                    {
                        "start": f"The span {self.start}-{self.end} overlaps the {label} at {start}-{end}: "
                        "boilerplate is not part of the document and is never cited."
                    }
                )


class StatusUpdate(models.Model):
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="status_updates")
    status = models.CharField(max_length=30, choices=Status.choices)
    assessed_on = models.DateField(help_text="The date the assessment is about.")
    note = models.TextField(blank=True)
    evidence_url = models.URLField(max_length=500, blank=True)
    evidence_citation = models.ForeignKey(
        Citation, null=True, blank=True, on_delete=models.SET_NULL, related_name="status_updates"
    )
    # A passage of another (usually later) document that the assessment rests on: an exact quote
    # with offsets like a citation, kept in place by the importer when that document changes.
    evidence_document = models.ForeignKey(
        Document, null=True, blank=True, on_delete=models.PROTECT, related_name="evidence_for"
    )
    evidence_start = models.PositiveIntegerField(null=True, blank=True)
    evidence_end = models.PositiveIntegerField(null=True, blank=True)
    evidence_quote = models.TextField(blank=True, db_default="")
    is_sample = models.BooleanField(
        "sample assessment",
        default=False,
        db_default=False,
        help_text="A sample assessment shipped with the bundled texts, not an analyst's judgement.",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="status_updates"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["item", "-assessed_on", "-created_at", "-id"]
        get_latest_by = ["assessed_on", "created_at", "id"]
        constraints = [
            _choices_check("status", Status, "status_update_status_valid"),
            # An evidence passage is all there (document, offsets, quote of the span's length) or absent.
            models.CheckConstraint(
                condition=Q(evidence_document__isnull=True, evidence_start__isnull=True, evidence_end__isnull=True)
                & Q(evidence_quote="")
                | Q(evidence_document__isnull=False, evidence_end=models.F("evidence_start") + Length("evidence_quote"))
                & ~Q(evidence_quote=""),
                name="status_update_evidence_passage_whole",
            ),
        ]
        indexes = [
            # "Status as of D": the latest update of an item on or before D.
            models.Index(fields=["item", "-assessed_on", "-id"], name="status_update_item_date_idx"),
            # Atom feed and dashboard: newest updates first (id breaks ties, so LIMIT 10 reads 10 entries).
            models.Index(fields=["-created_at", "-id"], name="status_update_created_idx"),
        ]

    def __str__(self):
        return f"{self.item.reference}: {self.get_status_display()} on {self.assessed_on}"

    def clean(self):
        if self.evidence_document_id and (
            self.evidence_document.text[self.evidence_start : self.evidence_end] != self.evidence_quote
        ):
            raise ValidationError(
                {
                    "evidence_quote": f"The evidence quote does not match “{self.evidence_document}” at "
                    f"{self.evidence_start}-{self.evidence_end}."
                }
            )


class ItemLink(models.Model):
    source = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="links_out")
    target = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="links_in")
    kind = models.CharField(max_length=20, choices=LinkKind.choices)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["source", "kind", "target"]
        constraints = [
            _choices_check("kind", LinkKind, "item_link_kind_valid"),
            models.CheckConstraint(condition=~Q(source=models.F("target")), name="item_link_not_to_itself"),
            models.UniqueConstraint(fields=["source", "target", "kind"], name="item_link_unique"),
        ]
        indexes = [
            # Item page: links pointing at the item.
            models.Index(fields=["target", "kind"], name="item_link_target_idx"),
        ]

    def __str__(self):
        return f"{self.source.reference} {self.get_kind_display().lower()} {self.target.reference}"

    def clean(self):
        if self.source_id and self.source_id == self.target_id:
            raise ValidationError({"target": "An item cannot be linked to itself."})

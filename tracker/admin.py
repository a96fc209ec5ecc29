"""The reviewers' admin: items with their evidence and history, and the actors, themes and documents they cite.

Writes that touch several rows (status updates, review states) go through tracker.services, as the API
and the import commands do. The item list is built for a million rows: no full COUNT, no per-row query.
"""

import json

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import PAGE_VAR
from django.contrib.admin.widgets import AutocompleteSelect
from django.contrib.postgres.search import SearchQuery
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import Exists, F, OuterRef, Prefetch, Q, Value
from django.db.models.functions import Least, Substr
from django.forms import Media
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import ModelChange
from simple_history.template_utils import HistoricalRecordContextHelper

from tracker import history, services
from tracker.enums import ReviewState
from tracker.forms import AutocompleteFilterForm, CitationAdminForm, DocumentAdminForm, StatusUpdateActionForm
from tracker.highlight import passage_around
from tracker.models import (
    Actor,
    BoilerplateSpan,
    Citation,
    Document,
    Item,
    ItemLink,
    Section,
    StatusUpdate,
    Theme,
)
from tracker.querysets import count_of

# Bookkeeping fields the item history does not list as changes.
HISTORY_IGNORED = ("id", "created_at", "updated_at", "search_vector")


class LabelledHistoryHelper(HistoricalRecordContextHelper):
    """History deltas with choice labels ("In progress") instead of stored codes ("in_progress")."""

    def prepare_delta_change_value(self, change, value):
        field = self.model._meta.get_field(change.field)
        if field.choices and isinstance(value, str):
            return dict(field.flatchoices).get(value, value)
        return super().prepare_delta_change_value(change, value)


# ---------------------------------------------------------------------------------------------------------------
# Counting


class LargeTablePaginator(Paginator):
    """Counts at most `count_cap` rows; past that it estimates instead of running COUNT(*) over the table.

    Unfiltered lists on PostgreSQL use the planner's row count (pg_class.reltuples), filtered ones the
    planner's estimate for the query (EXPLAIN); elsewhere a list longer than the cap reports the cap as a
    lower bound. `count_is_exact` / `count_is_lower_bound` let the template say "about" or "more than".
    """

    count_cap = 10_000

    count_is_exact = True
    count_is_lower_bound = False

    @cached_property
    def count(self):
        queryset = self.object_list.order_by()
        capped = queryset[: self.count_cap + 1].count()
        if capped <= self.count_cap:
            return capped
        self.count_is_exact = False
        estimate = self._estimate(queryset)
        if estimate is not None and estimate > self.count_cap:
            return estimate
        self.count_is_lower_bound = True
        return self.count_cap

    def _estimate(self, queryset) -> int | None:
        connection = connections[queryset.db]
        if connection.vendor != "postgresql":
            return None
        with connection.cursor() as cursor:
            if not queryset.query.where:
                table = queryset.model._meta.db_table
                cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass", [table])
                row = cursor.fetchone()
                return int(row[0]) if row and row[0] > 0 else None
            sql, params = queryset.query.sql_with_params()
            cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
            plan = cursor.fetchone()[0]
            plan = json.loads(plan) if isinstance(plan, str) else plan
            return int(plan[0]["Plan"]["Plan Rows"])


# ---------------------------------------------------------------------------------------------------------------
# List filters


class ThemeFilter(admin.SimpleListFilter):
    """A theme and everything below it: choosing a parent theme includes its children."""

    title = "theme (with sub-themes)"
    parameter_name = "theme"

    def lookups(self, request, model_admin):
        themes = Theme.objects.only("id", "name", "path").order_by("path")
        return [(str(theme.pk), f"{'— ' * theme.depth}{theme.name}") for theme in themes]

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        return queryset.in_themes(Theme.objects.filter(pk=_int_param(self.parameter_name, self.value())))


class AutocompleteListFilter(admin.ListFilter):
    """A filter over a relation with hundreds of choices: one select2 search box (the admin's autocomplete).

    The box submits `?<field_name>=<id>`; the chosen object's name is shown back in the box. Subclasses
    set `field_name`, `title` and `filter_queryset`.
    """

    field_name: str = ""
    template = "admin/tracker/autocomplete_filter.html"

    def __init__(self, request, params, model, model_admin):
        super().__init__(request, params, model, model_admin)
        self.model_admin = model_admin
        self.field = model._meta.get_field(self.field_name)
        self.parameter_name = self.field_name
        if self.parameter_name in params:
            self.used_parameters[self.parameter_name] = params.pop(self.parameter_name)[-1]

    def value(self) -> str | None:
        return self.used_parameters.get(self.parameter_name) or None

    def has_output(self):
        return True

    def expected_parameters(self):
        return [self.parameter_name]

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        return self.filter_queryset(queryset, _int_param(self.parameter_name, self.value()))

    def filter_queryset(self, queryset, pk: int):
        raise NotImplementedError

    def choices(self, changelist):
        form = AutocompleteFilterForm(
            {self.parameter_name: self.value()} if self.value() else None,
            field=self.field,
            admin_site=self.model_admin.admin_site,
            queryset=self.field.related_model._default_manager.all(),
        )
        yield {
            "selected": self.value() is not None,
            "field": form[self.parameter_name],
            "hidden": [(k, v) for k, v in changelist.params.items() if k not in (self.parameter_name, PAGE_VAR)],
            "clear_url": changelist.get_query_string(remove=[self.parameter_name]),
        }


class MadeByFilter(AutocompleteListFilter):
    title = "made by"
    field_name = "made_by"

    def filter_queryset(self, queryset, pk):
        return queryset.made_by_any([pk])


class AddressedToFilter(AutocompleteListFilter):
    title = "addressed to"
    field_name = "addressed_to"

    def filter_queryset(self, queryset, pk):
        return queryset.addressed_to_any([pk])


class DocumentFilter(AutocompleteListFilter):
    title = "document"
    field_name = "document"

    def filter_queryset(self, queryset, pk):
        return queryset.filter(document_id=pk)


def _int_param(name: str, value: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise IncorrectLookupParameters(f"{name}={value!r} is not an id.") from None


# ---------------------------------------------------------------------------------------------------------------
# Item inlines


class CitationInline(admin.StackedInline):
    model = Citation
    form = CitationAdminForm
    extra = 0
    autocomplete_fields = ["document", "section"]
    fields = [("document", "section"), ("start", "end", "position"), "quote"]


class StatusUpdateInline(admin.TabularInline):
    """Append-only: a reviewer adds an assessment; the ones already recorded are history and stay as they are."""

    model = StatusUpdate
    extra = 1
    fields = [
        "status",
        "assessed_on",
        "note",
        "evidence_url",
        "evidence_citation",
        "evidence_passage",
        "is_sample",
        "author",
        "created_at",
    ]
    readonly_fields = ["author", "created_at", "evidence_passage", "is_sample"]
    ordering = ["-assessed_on", "-created_at", "-id"]

    @admin.display(description="evidence passage")
    def evidence_passage(self, obj):
        if not obj.evidence_document_id:
            return "—"
        return format_html(
            "“{}” ({}, {}-{})", obj.evidence_quote, obj.evidence_document.title, obj.evidence_start, obj.evidence_end
        )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("author", "evidence_citation__document", "evidence_document")
            .defer("evidence_citation__document__text", "evidence_document__text")
        )

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        # Evidence is one of this item's own citations (the service refuses any other).
        field = formset.form.base_fields.get("evidence_citation")
        if field is not None:
            citations = Citation.objects.filter(item=obj).select_related("document").defer("document__text")
            field.queryset = citations if obj is not None else Citation.objects.none()
        return formset

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class LinksOutInline(admin.TabularInline):
    model = ItemLink
    fk_name = "source"
    extra = 0
    autocomplete_fields = ["target"]
    fields = ["kind", "target", "note"]
    verbose_name = "link to another item"
    verbose_name_plural = "links to other items"


class LinksInInline(admin.TabularInline):
    model = ItemLink
    fk_name = "target"
    extra = 0
    autocomplete_fields = ["source"]
    fields = ["source", "kind", "note"]
    verbose_name = "link from another item"
    verbose_name_plural = "links from other items"


# ---------------------------------------------------------------------------------------------------------------
# Items


@admin.register(Item)
class ItemAdmin(SimpleHistoryAdmin):
    list_display = ["reference", "kind", "title", "status", "review_state", "document_and_section", "theme_names"]
    list_filter = ["kind", "status", "review_state", ThemeFilter, MadeByFilter, AddressedToFilter, DocumentFilter]
    list_select_related = ["document", "section"]
    search_fields = ["reference", "title", "text"]
    search_help_text = "Reference, title or text."
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    paginator = LargeTablePaginator
    list_per_page = 50
    actions = ["mark_confirmed", "mark_rejected", "record_status_update"]
    autocomplete_fields = ["document", "section", "made_by", "addressed_to", "themes"]
    readonly_fields = ["status", "cited_passages", "how_extracted", "source_key", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["reference", "kind", "title", "text", "strength"]}),
        ("Source", {"fields": ["document", "section", "date", "cited_passages"]}),
        ("Actors and themes", {"fields": ["made_by", "addressed_to", "themes", "how_extracted"]}),
        ("Review and status", {"fields": ["review_state", "status", "target_date", "is_orphaned"]}),
        ("Bookkeeping", {"classes": ["collapse"], "fields": ["source_key", "created_at", "updated_at"]}),
    ]
    inlines = [CitationInline, StatusUpdateInline, LinksOutInline, LinksInInline]
    object_history_list_template = "admin/tracker/item/object_history_list.html"

    def save_model(self, request, obj, form, change):
        obj._change_reason = history.ADMIN  # the edit history's origin
        super().save_model(request, obj, form, change)

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        """As simple-history's, plus the non-editable fields its diff leaves out (`status` above all: it
        follows the status updates), choice values shown by their labels, and each record's origin
        (tracker.history) for the template."""
        extra = [f.name for f in Item._meta.fields if not f.editable and f.name not in HISTORY_IGNORED]
        previous = None
        for current in historical_records:
            current.origin = history.origin_label(current.history_change_reason)
            if previous is not None:
                delta = previous.diff_against(current, foreign_keys_are_objs=foreign_keys_are_objs)
                changes = [
                    ModelChange(name, getattr(current, name), getattr(previous, name))
                    for name in extra
                    if getattr(current, name) != getattr(previous, name)
                ]
                helper = LabelledHistoryHelper(self.model, previous)
                previous.history_delta_changes = [
                    {"field": c.field, "old": c.old, "new": c.new} for c in map(helper.format_delta_change, changes)
                ] + helper.context_for_delta_changes(delta)
            previous = current

    @property
    def media(self):
        # The actor and document filters use the admin's select2 widget on the list page.
        widget = AutocompleteSelect(Item._meta.get_field("made_by"), self.admin_site)
        return super().media + widget.media + _admin_css()

    def get_queryset(self, request):
        themes = Theme.objects.only("id", "name", "path")
        return (
            super()
            .get_queryset(request)
            .select_related("document", "section")
            .defer("document__text", "search_vector")
            .prefetch_related(Prefetch("themes", queryset=themes))
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "document":
            kwargs["queryset"] = Document.objects.defer("text")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if term and connections[queryset.db].vendor == "postgresql":
            # The stored tsvector (reference, title, text) with its GIN index, instead of three LIKE scans.
            query = SearchQuery(term, config="english", search_type="websearch")
            return queryset.filter(Q(reference__iexact=term) | Q(search_vector=query)), False
        return super().get_search_results(request, queryset, search_term)

    @admin.display(description="document / section", ordering="document__title")
    def document_and_section(self, item):
        return f"{item.document.title} / {item.section}" if item.section_id else item.document.title

    @admin.display(description="themes")
    def theme_names(self, item):
        return ", ".join(theme.name for theme in item.themes.all())

    @admin.display(description="cited passages")
    def cited_passages(self, item):
        if item.pk is None:
            return "—"
        passages = []
        for citation in item.citations.select_related("document", "section"):
            try:
                passage = passage_around(citation.document.text, citation.start, citation.end)
            except ValueError as error:
                passage = None
                problem = str(error)
            else:
                problem = ""
            passages.append({"citation": citation, "passage": passage, "problem": problem})
        # The template autoescapes every segment: document text is never marked safe.
        return render_to_string("admin/tracker/item/cited_passages.html", {"passages": passages})

    @admin.display(description="how the import extracted it")
    def how_extracted(self, item):
        """The import's trace: the rule that made the item and why each actor and theme was given (as
        imported; a reviewer's later changes to the actors and themes are not reflected here)."""
        trace = item.extraction or {}
        if not trace:
            return "—"
        rows = [("rule", f"{trace.get('rule', '?')} on {trace.get('trigger', '')!r} ({trace.get('unit', '?')})")]
        for label in ("made_by", "addressed_to", "themes"):
            rows.extend((label.replace("_", " "), f"{slug}: {reason}") for slug, reason in trace.get(label, {}).items())
        for merged in trace.get("merged", ()):
            rows.append(("merged", f"the same item in section {merged.get('section')} ({merged.get('similarity')})"))
        return format_html("<dl>{}</dl>", format_html_join("", "<dt>{}</dt><dd>{}</dd>", rows))

    def save_formset(self, request, form, formset, change):
        if formset.model is not StatusUpdate:
            return super().save_formset(request, form, formset, change)
        # Status updates are appended through the service, so Item.status follows the latest one.
        formset.new_objects = [
            services.record_status_update(
                item=form.instance,
                status=update.status,
                assessed_on=update.assessed_on,
                note=update.note,
                evidence_url=update.evidence_url,
                evidence_citation=update.evidence_citation,
                author=request.user,
                origin=history.ADMIN,
            )
            for update in formset.save(commit=False)
        ]
        return formset.new_objects

    # Bulk actions

    @admin.action(description="Mark selected items confirmed", permissions=["change"])
    def mark_confirmed(self, request, queryset):
        self._set_review_state(request, queryset, ReviewState.CONFIRMED)

    @admin.action(description="Mark selected items rejected", permissions=["change"])
    def mark_rejected(self, request, queryset):
        self._set_review_state(request, queryset, ReviewState.REJECTED)

    def _set_review_state(self, request, queryset, state):
        changed = services.set_review_state(items=queryset.order_by("pk"), state=state, user=request.user)
        self.message_user(request, f"{changed} item(s) marked {ReviewState(state).label.lower()}.", messages.SUCCESS)

    @admin.action(description="Record a status update for the selected items", permissions=["record_status"])
    def record_status_update(self, request, queryset):
        form = StatusUpdateActionForm(request.POST if "apply" in request.POST else None)
        repeated = []
        if form.is_valid():
            fields = {name: value for name, value in form.cleaned_data.items() if name != "confirm_repeat"}
            # Warn once before adding an assessment that repeats an item's latest one word for word.
            repeated = (
                [] if form.cleaned_data["confirm_repeat"] else services.repeating_latest(items=queryset, **fields)
            )
        if form.is_valid() and not repeated:
            try:
                updates = services.record_status_updates(
                    items=queryset.order_by("pk"), author=request.user, origin=history.ADMIN, **fields
                )
            except ValidationError as error:
                self.message_user(request, "; ".join(error.messages), messages.ERROR)
                return None
            count = len(updates)
            self.message_user(
                request, f"Status update recorded for {count} item{'' if count == 1 else 's'}.", messages.SUCCESS
            )
            return None
        select_across = request.POST.get("select_across") == "1"
        listed = queryset.select_related(None).prefetch_related(None).only("id", "reference", "title")
        context = {
            **self.admin_site.each_context(request),
            "title": "Record a status update",
            "opts": self.model._meta,
            "form": form,
            "action": "record_status_update",
            "select_across": select_across,
            "selected": [] if select_across else request.POST.getlist(ACTION_CHECKBOX_NAME),
            "item_count": None if select_across else queryset.count(),
            "items": [] if select_across else list(listed[:100]),
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
            "repeated": repeated,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/tracker/item/record_status_update.html", context)

    def has_record_status_permission(self, request):
        opts = StatusUpdate._meta
        return request.user.has_perm(f"{opts.app_label}.add_{opts.model_name}") and self.has_change_permission(request)


# ---------------------------------------------------------------------------------------------------------------
# Actors, themes, documents, sections


@admin.register(Actor)
class ActorAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "iso_code", "parent", "item_count"]
    list_filter = ["kind"]
    list_select_related = ["parent"]
    search_fields = ["name", "slug", "iso_code"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]

    def get_queryset(self, request):
        # Items made or addressed, each counted once: made + addressed - both (all three use the join indexes).
        made = Item.made_by.through.objects.filter(actor_id=OuterRef("pk"))
        addressed = Item.addressed_to.through.objects.filter(actor_id=OuterRef("pk"))
        both = made.filter(
            Exists(Item.addressed_to.through.objects.filter(actor_id=OuterRef("actor_id"), item_id=OuterRef("item_id")))
        )
        return super().get_queryset(request).annotate(item_count=count_of(made) + count_of(addressed) - count_of(both))

    @admin.display(description="items", ordering="item_count")
    def item_count(self, actor):
        return actor.item_count


@admin.register(Theme)
class ThemeAdmin(SimpleHistoryAdmin):
    list_display = ["indented_name", "code", "path", "item_count"]
    search_fields = ["name", "slug", "code"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]
    readonly_fields = ["path"]
    fields = ["name", "slug", "code", "parent", "position", "description", "path"]

    def get_queryset(self, request):
        tagged = Item.themes.through.objects.filter(theme_id=OuterRef("pk"))
        return super().get_queryset(request).annotate(item_count=count_of(tagged))

    @admin.display(description="name", ordering="path")
    def indented_name(self, theme):
        return f"{'— ' * theme.depth}{theme.name}"

    @admin.display(description="items (tagged directly)", ordering="item_count")
    def item_count(self, theme):
        return theme.item_count


class SectionInline(admin.TabularInline):
    model = Section
    fields = ["number", "heading", "start", "end", "parent"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("parent")

    def has_add_permission(self, request, obj=None):
        return False


class BoilerplateSpanInline(admin.TabularInline):
    model = BoilerplateSpan
    fields = ["label", "start", "end", "excerpt"]
    readonly_fields = ["excerpt"]
    extra = 0

    def get_queryset(self, request):
        # The excerpt is cut by the database: span.document.text would load the whole text once per span.
        length = Least(F("end") - F("start"), Value(201))
        return super().get_queryset(request).annotate(excerpt_text=Substr("document__text", F("start") + 1, length))

    @admin.display(description="text")
    def excerpt(self, span):
        if span.pk is None:
            return "—"
        text = span.excerpt_text
        return text if len(text) <= 200 else f"{text[:200]}…"


@admin.register(Document)
class DocumentAdmin(SimpleHistoryAdmin):
    form = DocumentAdminForm
    list_display = ["title", "slug", "kind", "date_display", "item_count"]
    list_filter = ["kind"]
    search_fields = ["title", "slug", "reference_prefix", "publisher", "author"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [SectionInline, BoilerplateSpanInline]

    @property
    def media(self):
        return super().media + _admin_css()

    def get_queryset(self, request):
        items = Item.objects.filter(document_id=OuterRef("pk"))
        return super().get_queryset(request).defer("text").annotate(item_count=count_of(items))

    def get_readonly_fields(self, request, obj=None):
        readonly = ["created_at", "updated_at"]
        if obj is not None:
            # The verbatim source: editing it would break every citation into it.
            readonly += ["text", "sha256"]
        return readonly

    def get_prepopulated_fields(self, request, obj=None):
        return {} if obj is not None else self.prepopulated_fields

    @admin.display(description="published", ordering="published")
    def date_display(self, document):
        return document.date_display

    @admin.display(description="items", ordering="item_count")
    def item_count(self, document):
        return document.item_count


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    """Registered for the citation and item section autocompletes; sections are edited by the importer."""

    list_display = ["__str__", "document", "start", "end"]
    list_select_related = ["document"]
    search_fields = ["number", "heading", "document__title", "document__slug"]
    autocomplete_fields = ["document", "parent"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("document").defer("document__text")


def _admin_css():
    return Media(css={"all": ["tracker/admin.css"]}, js=["tracker/admin-a11y.js"])

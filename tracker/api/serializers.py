"""Serializers: lean read serializers (hand-written to_representation for the item rows, which are the hot
path) and separate write serializers that run the model's full_clean, so model validation is a 400."""

import hashlib

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tracker.api.exceptions import validation_error_detail
from tracker.api.rows import build_rows, row_values
from tracker.enums import STATUS_DEFINITIONS, Status
from tracker.filtersets import SLUG_RE
from tracker.ids import parse_id
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

# --- small nested shapes -------------------------------------------------------------------------------------------


class ActorRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    name = serializers.CharField()


class ThemeRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    name = serializers.CharField()


class DocumentRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    title = serializers.CharField()


class SectionRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    heading = serializers.CharField()


class CitationRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    document = serializers.IntegerField(help_text="Document id.")
    document_slug = serializers.CharField()
    section = serializers.IntegerField(allow_null=True, help_text="Section id.")
    start = serializers.IntegerField()
    end = serializers.IntegerField()
    quote = serializers.CharField()


@extend_schema_field({"type": "string", "description": "A URL, or empty."})
class BlankableURLField(serializers.CharField):
    """A URL that may be blank: documented without `format: uri`, which an empty string would violate."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.validators.append(URLValidator(message="Enter a valid URL."))


def _api_base(context) -> str:
    """Scheme and host of the request, computed once per response (build_absolute_uri per row is slow)."""
    if "_api_base" not in context:
        request = context.get("request")
        context["_api_base"] = request.build_absolute_uri("/")[:-1] if request is not None else ""
    return context["_api_base"]


# --- items ----------------------------------------------------------------------------------------------------------


class ItemSerializer(serializers.Serializer):
    """An item as read: documents the shape for the schema; the rows themselves come from tracker.api.rows."""

    id = serializers.IntegerField(read_only=True)
    reference = serializers.CharField()
    kind = serializers.ChoiceField(choices=Item._meta.get_field("kind").choices)
    title = serializers.CharField()
    text = serializers.CharField()
    status = serializers.ChoiceField(
        choices=Status.choices, help_text="Current status, or with ?as_of= the status as it stood on that date."
    )
    as_of = serializers.DateField(allow_null=True, help_text="The as_of date the status refers to, if one was given.")
    review_state = serializers.ChoiceField(choices=Item._meta.get_field("review_state").choices)
    strength = serializers.ChoiceField(choices=Item._meta.get_field("strength").choices)
    date = serializers.DateField(allow_null=True)
    target_date = serializers.DateField(allow_null=True)
    document = DocumentRefSerializer()
    section = SectionRefSerializer(allow_null=True)
    made_by = ActorRefSerializer(many=True)
    addressed_to = ActorRefSerializer(many=True)
    themes = ThemeRefSerializer(many=True)
    citations = CitationRefSerializer(many=True)
    updated_at = serializers.DateTimeField()
    api_url = serializers.URLField(help_text="This item in the API.")
    url = serializers.URLField(help_text="The item's page on the public site.")
    status_history_url = serializers.URLField(help_text="The item's status updates, newest first.")


class IdOrSlugRelatedField(serializers.RelatedField):
    """A related object given by id (integer) or slug (string)."""

    default_error_messages = {
        "does_not_exist": "Unknown {model} “{value}” (give an id or a slug).",
        "incorrect_type": "Give an id (integer) or a slug (string), not {data_type}.",
    }

    def to_internal_value(self, data):
        model = self.get_queryset().model._meta.verbose_name
        if isinstance(data, bool) or not isinstance(data, int | str):
            self.fail("incorrect_type", data_type=type(data).__name__)
        text = str(data).strip()
        queryset = self.get_queryset()
        pk = parse_id(data if isinstance(data, int) else text)
        try:
            if pk is not None:
                return queryset.get(pk=pk)
            if isinstance(data, str) and SLUG_RE.match(text):
                return queryset.get(slug=text)
        except queryset.model.DoesNotExist:
            pass
        # Neither a known id nor a known slug (nor one at all: "²", NUL, beyond bigint). fail() raises.
        return self.fail("does_not_exist", model=model, value=text[:100])

    def to_representation(self, value):
        return value.slug


IdOrSlugRelatedField = extend_schema_field(OpenApiTypes.STR)(IdOrSlugRelatedField)


class IdRelatedField(serializers.PrimaryKeyRelatedField):
    """A primary key as tracker.ids reads it: "²", "1.5" or one beyond bigint is an unknown id, not a 500."""

    def to_internal_value(self, data):
        pk = parse_id(data.strip() if isinstance(data, str) else data)
        if pk is None:
            if isinstance(data, bool) or not isinstance(data, int | str):
                self.fail("incorrect_type", data_type=type(data).__name__)
            self.fail("does_not_exist", pk_value=str(data)[:30])
        return super().to_internal_value(pk)


class ModelCleanMixin:
    """Run Model.full_clean (fields, choices, constraints, clean()) and turn Django errors into a 400."""

    def validate(self, attrs):
        attrs = super().validate(attrs)
        model = self.Meta.model
        m2m = {f.name for f in model._meta.many_to_many}
        instance = self.instance or model()
        original = {name: getattr(instance, name) for name in attrs if name not in m2m} if self.instance else {}
        for name, value in attrs.items():
            if name not in m2m:
                setattr(instance, name, value)
        try:
            instance.full_clean(exclude=m2m)
        except DjangoValidationError as error:
            raise serializers.ValidationError(validation_error_detail(error)) from error
        finally:
            for name, value in original.items():
                setattr(instance, name, value)
        return attrs

    def create(self, validated_data):
        return self._saving(super().create, validated_data)

    def update(self, instance, validated_data):
        return self._saving(super().update, instance, validated_data)

    def _saving(self, method, *args):
        try:
            with transaction.atomic():
                return method(*args)
        except DjangoValidationError as error:
            raise serializers.ValidationError(validation_error_detail(error)) from error
        except IntegrityError as error:
            raise serializers.ValidationError(
                {"non_field_errors": [f"The change conflicts with existing data: {error}"[:300]]}
            ) from error


class ItemWriteSerializer(ModelCleanMixin, serializers.ModelSerializer):
    document = IdOrSlugRelatedField(queryset=Document.objects.only("id", "slug"))
    section = IdRelatedField(queryset=Section.objects.all(), allow_null=True, required=False)
    made_by = IdOrSlugRelatedField(queryset=Actor.objects.all(), many=True, required=False)
    addressed_to = IdOrSlugRelatedField(queryset=Actor.objects.all(), many=True, required=False)
    themes = IdOrSlugRelatedField(queryset=Theme.objects.all(), many=True, required=False)

    class Meta:
        model = Item
        fields = [
            "reference",
            "kind",
            "title",
            "text",
            "review_state",
            "strength",
            "date",
            "target_date",
            "document",
            "section",
            "made_by",
            "addressed_to",
            "themes",
        ]

    def to_representation(self, instance):
        """A written item is answered with its read representation (tracker.api.rows), as GET gives it."""
        return build_rows(list(row_values(Item.objects.filter(pk=instance.pk))), base=_api_base(self.context))[0]


class StatusChangeSerializer(serializers.Serializer):
    """Body of POST /items/{id}/status/: one new dated assessment, appended to the history."""

    status = serializers.ChoiceField(choices=Status.choices)
    assessed_on = serializers.DateField(required=False, help_text="Defaults to today.")
    note = serializers.CharField(required=False, allow_blank=True, default="")
    evidence_url = BlankableURLField(required=False, allow_blank=True, default="", max_length=500)
    evidence_citation = IdRelatedField(queryset=Citation.objects.all(), required=False, allow_null=True)


# --- other resources ------------------------------------------------------------------------------------------------


class ActorSerializer(ModelCleanMixin, serializers.ModelSerializer):
    parent = IdRelatedField(queryset=Actor.objects.all(), allow_null=True, required=False)

    class Meta:
        model = Actor
        fields = ["id", "slug", "name", "kind", "aliases", "iso_code", "parent"]


class ThemeSerializer(ModelCleanMixin, serializers.ModelSerializer):
    parent = IdRelatedField(queryset=Theme.objects.all(), allow_null=True, required=False)

    class Meta:
        model = Theme
        fields = ["id", "slug", "name", "description", "code", "parent", "path", "position"]
        read_only_fields = ["path"]


class SectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Section
        fields = ["id", "number", "heading", "start", "end", "parent"]


class BoilerplateSpanSerializer(serializers.ModelSerializer):
    class Meta:
        model = BoilerplateSpan
        fields = ["start", "end", "label"]


DOCUMENT_FIELDS = [
    "id",
    "slug",
    "reference_prefix",
    "title",
    "kind",
    "publisher",
    "author",
    "published",
    "date_precision",
    "url",
    "archived_url",
    "language",
    "sha256",
    "sections",
]


class DocumentSerializer(ModelCleanMixin, serializers.ModelSerializer):
    """A document without its text (lists).

    The text and its SHA-256 are given once, at creation, as in the admin: every citation points into
    the text, so a later change goes through import_corpus, which moves the citations with it.
    """

    sections = SectionSerializer(many=True, read_only=True)
    url = BlankableURLField(max_length=500, required=False, allow_blank=True)

    class Meta:
        model = Document
        fields = DOCUMENT_FIELDS
        extra_kwargs = {
            "sha256": {"required": False, "help_text": "SHA-256 of the UTF-8 text; computed if omitted."},
            # Verbatim: citations count characters from the first one.
            "text": {"trim_whitespace": False},
        }

    def validate(self, attrs):
        if self.instance is not None:
            for name in ("text", "sha256"):
                if name in attrs and attrs[name] != getattr(self.instance, name):
                    raise serializers.ValidationError(
                        {name: ["Read-only once the document exists: change the text with import_corpus."]}
                    )
        elif "text" in attrs:
            digest = hashlib.sha256(attrs["text"].encode()).hexdigest()
            if attrs.setdefault("sha256", digest) != digest:
                message = f"This is not the SHA-256 of the text, which is {digest}."
                raise serializers.ValidationError({"sha256": [message]})
        return super().validate(attrs)


class DocumentDetailSerializer(DocumentSerializer):
    """A document with its full text and boilerplate spans (detail, create, update)."""

    boilerplate_spans = BoilerplateSpanSerializer(many=True, read_only=True)

    class Meta(DocumentSerializer.Meta):
        fields = [*DOCUMENT_FIELDS, "text", "boilerplate_spans", "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]


class CitationSerializer(ModelCleanMixin, serializers.ModelSerializer):
    item = IdRelatedField(queryset=Item.objects.only("id", "document_id"))
    document = IdRelatedField(queryset=Document.objects.all())
    section = IdRelatedField(queryset=Section.objects.all(), allow_null=True, required=False)

    class Meta:
        model = Citation
        fields = ["id", "item", "document", "section", "start", "end", "quote", "position"]


class StatusUpdateSerializer(serializers.ModelSerializer):
    author = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    evidence_url = serializers.SerializerMethodField(help_text="A URL, or empty.")

    class Meta:
        model = StatusUpdate
        fields = [
            "id",
            "item",
            "status",
            "assessed_on",
            "note",
            "evidence_url",
            "evidence_citation",
            "author",
            "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_evidence_url(self, update) -> str:
        return update.evidence_url


class ItemLinkSerializer(ModelCleanMixin, serializers.ModelSerializer):
    source = IdRelatedField(queryset=Item.objects.only("id"))
    target = IdRelatedField(queryset=Item.objects.only("id"))

    class Meta:
        model = ItemLink
        fields = ["id", "source", "target", "kind", "note", "created_at"]
        read_only_fields = ["created_at"]


class StatusDefinitionSerializer(serializers.Serializer):
    value = serializers.CharField(help_text="The status value used in items and filters.")
    label = serializers.CharField()
    definition = serializers.CharField()

    @staticmethod
    def scale() -> list[dict]:
        return [{"value": s.value, "label": s.label, "definition": STATUS_DEFINITIONS[s]} for s in Status]


# --- facets ---------------------------------------------------------------------------------------------------------


class ChoiceCountSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()


class DocumentCountSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    title = serializers.CharField()
    count = serializers.IntegerField()


class ThemeCountSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    name = serializers.CharField()
    path = serializers.CharField()
    count = serializers.IntegerField(help_text="Items with this theme or one below it.")


class ActorCountSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    name = serializers.CharField()
    count = serializers.IntegerField(help_text="Items the actor made or is addressed by.")


class FacetsSerializer(serializers.Serializer):
    status = ChoiceCountSerializer(many=True)
    kind = ChoiceCountSerializer(many=True)
    document = DocumentCountSerializer(many=True)
    theme = ThemeCountSerializer(many=True)
    actor = ActorCountSerializer(many=True)

"""API viewsets: a few declarative lines each plus a get_queryset that loads relations explicitly."""

from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from tracker import history, services
from tracker.api import serializers as s
from tracker.api.conditional import ETagMixin, etag_for_row
from tracker.api.filtering import filter_items
from tracker.api.pagination import NoCountPageNumberPagination
from tracker.api.rows import build_rows, render_page, row_values
from tracker.caching import cached, cached_aggregate, data_version, store, version_key
from tracker.facets import facets
from tracker.filtersets import (
    ActorFilterSet,
    CitationFilterSet,
    DocumentFilterSet,
    ItemFilterSet,
    ItemLinkFilterSet,
    StatusUpdateFilterSet,
    ThemeFilterSet,
)
from tracker.ids import parse_id
from tracker.models import Actor, Citation, Document, Item, ItemLink, Section, StatusUpdate, Theme

# --- documented error responses --------------------------------------------------------------------------------------

ERROR_400 = OpenApiResponse(OpenApiTypes.OBJECT, description="Invalid input: per-field messages, {field: [message]}.")
ERROR_401 = OpenApiResponse(OpenApiTypes.OBJECT, description="Not authenticated: {detail}.")
ERROR_403 = OpenApiResponse(OpenApiTypes.OBJECT, description="Authenticated but without the model permission.")
ERROR_404 = OpenApiResponse(OpenApiTypes.OBJECT, description="No such object, or no such page: {detail}.")
ERROR_412 = OpenApiResponse(OpenApiTypes.OBJECT, description="If-Match does not match the item's current ETag.")
ERROR_429 = OpenApiResponse(OpenApiTypes.OBJECT, description="Throttled: {detail} with the seconds to wait.")

WRITE_ERRORS = {400: ERROR_400, 401: ERROR_401, 403: ERROR_403, 404: ERROR_404, 429: ERROR_429}

IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="The ETag you read. If the item changed since, the write fails with 412 and changes nothing.",
)
ETAG_HEADER = OpenApiParameter(
    "ETag",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    response=[200, 201],
    description="Version of the item, to send back as If-Match.",
)


def _list_schema(noun: str, serializer):
    return extend_schema(
        summary=f"List {noun}",
        responses={200: serializer(many=True), 400: ERROR_400, 404: ERROR_404, 429: ERROR_429},
    )


def _crud_schema(noun: str, serializer, *, list_serializer=None, write: bool = True, delete: bool = True):
    one = f"{'an' if noun[0] in 'aeiou' else 'a'} {noun}"  # "an item", "a theme"
    schemas = {
        "list": _list_schema(f"{noun}s", list_serializer or serializer),
        "retrieve": extend_schema(summary=f"One {noun}", responses={200: serializer, 404: ERROR_404, 429: ERROR_429}),
    }
    if write:
        schemas["create"] = extend_schema(summary=f"Create {one}", responses={201: serializer, **WRITE_ERRORS})
        schemas["update"] = extend_schema(summary=f"Replace {one}", responses={200: serializer, **WRITE_ERRORS})
        schemas["partial_update"] = extend_schema(summary=f"Change {one}", responses={200: serializer, **WRITE_ERRORS})
    if delete:
        schemas["destroy"] = extend_schema(
            summary=f"Delete {one}", responses={204: None, 401: ERROR_401, 403: ERROR_403, 404: ERROR_404}
        )
    return extend_schema_view(**schemas)


def _lookup_pk(value: str) -> int:
    """The URL's id as an integer; anything else (letters, "²", ids beyond bigint) is a JSON 404, never a 500."""
    pk = parse_id(value)
    if pk is None:
        raise Http404
    return pk


class TrackerViewSetMixin:
    """Pagination and id lookups; authentication and the filter backend come from settings.REST_FRAMEWORK."""

    pagination_class = NoCountPageNumberPagination
    # Any path segment reaches the view, so a malformed id is DRF's JSON 404, not Django's HTML one.
    lookup_value_regex = r"[^/]+"

    def get_object(self):
        _lookup_pk(self.kwargs[self.lookup_url_kwarg or self.lookup_field])
        return super().get_object()

    def dispatch(self, request, *args, **kwargs):
        # Every row an API request writes (created, changed, deleted, its many-to-many sets and cascades)
        # has the origin "API" in the edit history.
        with history.recording(history.API):
            return super().dispatch(request, *args, **kwargs)


# --- items ----------------------------------------------------------------------------------------------------------


class StatusUpdatePermission(permissions.BasePermission):
    """Recording a status needs tracker.add_statusupdate (the row it creates)."""

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and user.has_perm("tracker.add_statusupdate"))


@_crud_schema("item", s.ItemSerializer)
@extend_schema_view(
    create=extend_schema(
        summary="Create an item",
        request=s.ItemWriteSerializer,
        responses={201: s.ItemSerializer, **WRITE_ERRORS},
    ),
    update=extend_schema(
        summary="Replace an item",
        request=s.ItemWriteSerializer,
        parameters=[IF_MATCH, ETAG_HEADER],
        responses={200: s.ItemSerializer, 412: ERROR_412, **WRITE_ERRORS},
    ),
    partial_update=extend_schema(
        summary="Change an item (not its status: see /status/)",
        request=s.ItemWriteSerializer,
        parameters=[IF_MATCH, ETAG_HEADER],
        responses={200: s.ItemSerializer, 412: ERROR_412, **WRITE_ERRORS},
    ),
    destroy=extend_schema(
        summary="Delete an item",
        parameters=[IF_MATCH],
        responses={204: None, 401: ERROR_401, 403: ERROR_403, 404: ERROR_404, 412: ERROR_412, 429: ERROR_429},
    ),
    retrieve=extend_schema(
        summary="One item (with an ETag header)",
        parameters=[ETAG_HEADER],
        responses={
            200: OpenApiResponse(s.ItemSerializer, description="The item; ETag header for If-Match."),
            404: ERROR_404,
            429: ERROR_429,
        },
    ),
)
class ItemViewSet(ETagMixin, TrackerViewSetMixin, viewsets.ModelViewSet):
    """Recommendations and commitments. Filters: see ItemFilterSet (shared with the public site)."""

    queryset = Item.objects.all()
    filterset_class = ItemFilterSet
    serializer_class = s.ItemSerializer

    def get_queryset(self):
        return Item.objects.all()

    def get_serializer_class(self):
        if self.action in ("create", "update", "partial_update"):
            return s.ItemWriteSerializer
        return s.ItemSerializer

    _as_of = None

    def filter_queryset(self, queryset):
        filterset = filter_items(self.request, queryset)
        self._as_of = filterset.form.cleaned_data.get("as_of")
        return filterset.qs

    def list(self, request, *args, **kwargs):
        # A page is cached per query string and data version (shared by the workers with Redis): a hit
        # is one primary-key read and one cache read. Only valid pages are stored, so a hit needs no
        # validation. The rows' URLs are absolute, so the scheme and host are part of the key.
        params = sorted((key, value) for key, values in request.query_params.lists() for value in values)
        key = version_key("api-item-page", data_version(), (self._base(), request.path, params))
        cached_page = cached(key)
        paginator = self.paginator
        if cached_page is not None:
            results, paginator.page_number, paginator.page_size_value, paginator.has_next = cached_page
            paginator.request = request
            return self.get_paginated_response(results)
        queryset = self.filter_queryset(self.get_queryset())
        results = render_page(queryset, self.paginate_queryset, base=self._base(), as_of=self._as_of)
        store(key, (results, paginator.page_number, paginator.page_size_value, paginator.has_next))
        return self.get_paginated_response(results)

    def retrieve(self, request, *args, **kwargs):
        pk = self._pk()
        values = list(row_values(self.filter_queryset(self.get_queryset()).filter(pk=pk)))
        if not values:
            raise Http404
        row = build_rows(values, base=self._base(), as_of=self._as_of)[0]
        return Response(row, headers={"ETag": etag_for_row(values[0])})

    @extend_schema(
        summary="Record a status change (appended to the item's history)",
        description="Records a dated status update through tracker.services.record_status_update: who (the "
        "authenticated user), when (assessed_on, default today), note and evidence. Earlier updates stay. The "
        "item's current status follows its latest update. Needs the tracker.add_statusupdate permission.",
        request=s.StatusChangeSerializer,
        parameters=[IF_MATCH],
        responses={201: s.StatusUpdateSerializer, 412: ERROR_412, **WRITE_ERRORS},
        examples=[
            OpenApiExample(
                "Partly done",
                value={"status": "partially_implemented", "assessed_on": "2024-05-01", "note": "Two of three laws."},
                request_only=True,
            )
        ],
    )
    @action(detail=True, methods=["post"], url_path="status", permission_classes=[StatusUpdatePermission])
    def record_status(self, request, pk=None):
        with transaction.atomic():
            item = self.get_locked_object()
            serializer = s.StatusChangeSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            # A ValidationError from the service is a 400 (tracker.api.exceptions), and rolls back.
            update = services.record_status_update(
                item=item, author=request.user, origin=history.API, **serializer.validated_data
            )
        return Response(
            s.StatusUpdateSerializer(update).data, status=status.HTTP_201_CREATED, headers=self.etag_headers(item)
        )

    @extend_schema(
        summary="Facet counts for the filtered items",
        description="Items per status, kind, document, theme (including descendants) and actor (made or "
        "addressed) for the same filters as the list. Exact from the counts the database keeps (no filter, or "
        "status and kind only) or from a recount (up to 5,000 matching items); beyond that estimated from a "
        "sample, with `estimated: true`. Cached per version of the data: any change shows at once.",
        responses={200: s.FacetsSerializer, 400: ERROR_400, 429: ERROR_429},
    )
    @action(detail=False, methods=["get"], pagination_class=None)
    def facets(self, request):
        filterset = filter_items(request, Item.objects.all())
        ignored = {"page", "page_size", "ordering", "format"}
        params = sorted((key, value) for key, values in request.query_params.lists() for value in values)
        kept = [(key, value) for key, value in params if key not in ignored]
        filterset.qs  # noqa: B018 - filters, and sets filterset.matches (every match, ranked or not)
        counts = cached_aggregate(
            "api-item-facets",
            lambda: facets(filterset.matches, filterset.form.cleaned_data),
            version=data_version(),
            parts=(kept,),
        )
        return Response(counts)

    def _pk(self) -> int:
        return _lookup_pk(self.kwargs["pk"])

    def _base(self) -> str:
        return self.request.build_absolute_uri("/")[:-1]


# --- other resources ------------------------------------------------------------------------------------------------


@_crud_schema("actor", s.ActorSerializer)
class ActorViewSet(TrackerViewSetMixin, viewsets.ModelViewSet):
    queryset = Actor.objects.all()
    serializer_class = s.ActorSerializer
    filterset_class = ActorFilterSet

    def get_queryset(self):
        return Actor.objects.order_by("name", "id")


@_crud_schema("theme", s.ThemeSerializer, delete=False)
class ThemeViewSet(TrackerViewSetMixin, viewsets.ModelViewSet):
    """Themes are protected by their children and items: no deletion through the API."""

    queryset = Theme.objects.all()
    serializer_class = s.ThemeSerializer
    filterset_class = ThemeFilterSet
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self):
        return Theme.objects.order_by("path", "id")


@_crud_schema("document", s.DocumentDetailSerializer, list_serializer=s.DocumentSerializer, delete=False)
class DocumentViewSet(TrackerViewSetMixin, viewsets.ModelViewSet):
    """Documents with their sections; the full text only on the detail. Protected by items: no deletion."""

    queryset = Document.objects.all()
    filterset_class = DocumentFilterSet
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self):
        sections = Section.objects.only("id", "document_id", "number", "heading", "start", "end", "parent_id")
        queryset = Document.objects.prefetch_related(Prefetch("sections", queryset=sections.order_by("start", "id")))
        if self.action == "list":
            return queryset.defer("text").order_by("published", "slug", "id")
        queryset = queryset.prefetch_related("boilerplate_spans")
        return queryset.order_by("published", "slug", "id")

    def get_serializer_class(self):
        return s.DocumentSerializer if self.action == "list" else s.DocumentDetailSerializer


@_crud_schema("citation", s.CitationSerializer)
class CitationViewSet(TrackerViewSetMixin, viewsets.ModelViewSet):
    queryset = Citation.objects.all()
    serializer_class = s.CitationSerializer
    filterset_class = CitationFilterSet

    def get_queryset(self):
        return Citation.objects.order_by("item_id", "position", "id")


@_crud_schema("status update", s.StatusUpdateSerializer, write=False, delete=False)
class StatusUpdateViewSet(TrackerViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """The status history, newest first per item. Written through POST /items/{id}/status/ only."""

    queryset = StatusUpdate.objects.all()
    serializer_class = s.StatusUpdateSerializer
    filterset_class = StatusUpdateFilterSet

    def get_queryset(self):
        return StatusUpdate.objects.select_related("author").order_by("item_id", "-assessed_on", "-created_at", "-id")


@_crud_schema("item link", s.ItemLinkSerializer)
class ItemLinkViewSet(TrackerViewSetMixin, viewsets.ModelViewSet):
    queryset = ItemLink.objects.all()
    serializer_class = s.ItemLinkSerializer
    filterset_class = ItemLinkFilterSet

    def get_queryset(self):
        return ItemLink.objects.order_by("source_id", "kind", "target_id", "id")


class StatusScaleView(TrackerViewSetMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """The status scale: every value with its published definition."""

    pagination_class = None
    filter_backends: list = []
    serializer_class = s.StatusDefinitionSerializer
    permission_classes = [permissions.AllowAny]
    queryset = StatusUpdate.objects.none()

    @extend_schema(
        summary="The status scale with definitions",
        responses={200: s.StatusDefinitionSerializer(many=True), 429: ERROR_429},
    )
    def list(self, request, *args, **kwargs):
        return Response(s.StatusDefinitionSerializer.scale())

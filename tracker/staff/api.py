"""The workbench's JSON endpoints: each parses its body and calls one tracker.services function."""

import json
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from tracker import services
from tracker.models import Actor, Citation, Document, Item, Theme


def json_action(view):
    """POST with a JSON object body; errors as JSON: 400 with per-field messages, 403."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            body = json.loads(request.body or b"{}")
            if not isinstance(body, dict):
                raise ValueError
        except ValueError:
            return JsonResponse({"errors": {"__all__": ["The body must be a JSON object."]}}, status=400)
        try:
            return view(request, body, *args, **kwargs)
        except PermissionDenied as exc:
            return JsonResponse({"errors": {"__all__": [str(exc) or "Permission denied."]}}, status=403)
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
            return JsonResponse({"errors": errors}, status=400)
        except (KeyError, TypeError, ValueError) as exc:
            return JsonResponse({"errors": {"__all__": [f"Missing or malformed field: {exc}"]}}, status=400)

    return login_required(require_POST(wrapped), login_url="admin:login")


def _item_response(item: Item, status: int = 200) -> JsonResponse:
    url = reverse("staff:workbench", kwargs={"slug": item.document.slug}) + f"?item={item.pk}"
    return JsonResponse({"item": item.pk, "reference": item.reference, "url": url}, status=status)


def _int(body: dict, name: str) -> int:
    value = body[name]
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError({name: f"{name} must be an integer offset."})
    return value


@json_action
def create_item(request, body, slug):
    document = get_object_or_404(Document, slug=slug)
    item = services.create_item_from_span(
        document=document,
        start=_int(body, "start"),
        end=_int(body, "end"),
        kind=body.get("kind", ""),
        user=request.user,
    )
    return _item_response(item, status=201)


@json_action
def move_citation(request, body, pk):
    citation = get_object_or_404(Citation.objects.select_related("document", "item__document"), pk=pk)
    services.move_citation(citation=citation, start=_int(body, "start"), end=_int(body, "end"), user=request.user)
    return _item_response(citation.item)


@json_action
def split_item(request, body, pk):
    item = get_object_or_404(Item.objects.select_related("document"), pk=pk)
    new = services.split_item(item=item, at=_int(body, "at"), user=request.user)
    return _item_response(new, status=201)


@json_action
def merge_items(request, body, pk):
    item = get_object_or_404(Item.objects.select_related("document"), pk=pk)
    other = get_object_or_404(Item, pk=_int(body, "other"))
    return _item_response(services.merge_items(item=item, other=other, user=request.user))


@json_action
def review_item(request, body, pk):
    item = get_object_or_404(Item.objects.select_related("document"), pk=pk)
    services.review_item(item=item, state=str(body["state"]), user=request.user)
    following = services.next_needing_review(after=item)
    response = _item_response(item)
    if following is not None:
        url = reverse("staff:workbench", kwargs={"slug": following.document.slug}) + f"?item={following.pk}"
        response = JsonResponse({"item": item.pk, "reference": item.reference, "url": url, "next": following.pk})
    return response


@json_action
def set_relations(request, body, pk):
    item = get_object_or_404(Item.objects.select_related("document"), pk=pk)

    def slugs(name):
        value = body.get(name)
        if value is None:
            return None
        if not isinstance(value, list) or not all(isinstance(slug, str) for slug in value):
            raise ValidationError({name: "A list of slugs."})
        return value

    services.set_item_relations(
        item=item,
        user=request.user,
        made_by=slugs("made_by"),
        addressed_to=slugs("addressed_to"),
        themes=slugs("themes"),
    )
    return _item_response(item)


@login_required(login_url="admin:login")
@require_GET
def autocomplete(request, kind):
    """Actors or themes whose name or slug contains the typed text (at most 20)."""
    if not request.user.has_perm("tracker.change_item"):
        return JsonResponse({"errors": {"__all__": ["Permission denied."]}}, status=403)
    model = {"actors": Actor, "themes": Theme}.get(kind)
    if model is None:
        return JsonResponse({"errors": {"kind": ["actors or themes"]}}, status=404)
    term = request.GET.get("q", "").strip()
    rows = model.objects.all()
    if term:
        rows = rows.filter(name__icontains=term) | rows.filter(slug__icontains=term)
    results = [{"slug": slug, "name": name} for slug, name in rows.order_by("name").values_list("slug", "name")[:20]]
    return JsonResponse({"results": results})

"""Staff views: thin shells over tracker.staff.intake, tracker.services and tracker.staff.evidence."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from corpus_import.errors import ImportInputError
from tracker import services
from tracker.enums import LinkKind, Status
from tracker.models import Document, Item
from tracker.staff import evidence as evidence_data
from tracker.staff import intake
from tracker.staff import workbench as workbench_data
from tracker.staff.forms import MetadataForm, UploadForm


def staff_required(permission: str):
    """Signed-in staff with the permission; others go to the admin's login, or get 403."""

    def decorate(view):
        view = permission_required(permission, raise_exception=True)(view)
        return login_required(view, login_url="admin:login")

    return decorate


@staff_required("tracker.add_document")
@require_http_methods(["GET", "POST"])
def intake_upload(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        name, data = form.name_and_bytes()
        try:
            source = intake.read_upload(name, data)
        except ImportInputError as exc:
            form.add_error("file" if form.cleaned_data.get("file") else "text", exc.message)
        else:
            token = intake.park(source, request.user.pk)
            return redirect("staff:intake-review", token=token)
    return render(request, "staff/intake_upload.html", {"form": form})


@staff_required("tracker.add_document")
@require_http_methods(["GET", "POST"])
def intake_review(request, token: str):
    try:
        source = intake.load(token, request.user.pk)
    except intake.UnknownUpload:
        raise Http404("No such upload: it was confirmed, cancelled or has expired.") from None
    except ImportInputError as exc:  # the file was readable when uploaded; a changed library could differ
        intake.discard(token)
        messages.error(request, str(exc))
        return redirect("staff:intake-upload")
    action = request.POST.get("action", "")
    if action == "cancel":
        intake.discard(token)
        messages.info(request, f"Cancelled: {source.name} was not imported and nothing was written.")
        return redirect("staff:intake-upload")
    if request.method == "POST":
        form = MetadataForm(request.POST, source=source)
    else:
        form = MetadataForm(initial=intake.initial_metadata(source), source=source)
    context = {"form": form, "source": source, "token": token, "preview": None}
    if request.method == "POST" and form.is_valid():
        replace = form.cleaned_data["replace"]
        try:
            if action == "confirm":
                report = intake.confirm(form.meta, source, replace=replace)
                intake.discard(token)
                document = Document.objects.get(slug=form.meta.slug)
                return render(request, "staff/intake_done.html", {"report": report, "document": document})
            context["preview"] = intake.preview(form.meta, source, replace=replace)
        except ImportInputError as exc:
            form.add_import_error(exc)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
    return render(request, "staff/intake_review.html", context)


@staff_required("tracker.change_item")
@require_http_methods(["GET"])
def workbench(request, slug: str):
    document = get_object_or_404(Document, slug=slug)
    try:
        selected = int(request.GET.get("item", ""))
    except ValueError:
        selected = None
    return render(request, "staff/workbench.html", {"bench": workbench_data.build(document, selected)})


@staff_required("tracker.change_item")
@require_http_methods(["GET"])
def next_needing_review(request):
    after = None
    if request.GET.get("after", "").isdigit():
        after = Item.objects.filter(pk=int(request.GET["after"])).first()
    item = services.next_needing_review(after=after)
    if item is None:
        messages.info(request, "No item needs review.")
        return redirect("admin:tracker_item_changelist")
    return redirect(reverse("staff:workbench", kwargs={"slug": item.document.slug}) + f"?item={item.pk}")


@staff_required("tracker.change_item")
@require_http_methods(["GET"])
def evidence(request, pk: int):
    item = get_object_or_404(Item.objects.select_related("document"), pk=pk)
    context = {
        "item": item,
        "passages": evidence_data.suggest_passages(item),
        "links": evidence_data.suggest_links(item),
        "statuses": Status.choices,
        "link_kinds": LinkKind.choices,
    }
    return render(request, "staff/evidence.html", context)


@staff_required("tracker.add_statusupdate")
@require_http_methods(["POST"])
def evidence_status(request, pk: int):
    item = get_object_or_404(Item, pk=pk)
    document = get_object_or_404(
        Document, pk=request.POST.get("document", "0") if request.POST.get("document", "").isdigit() else 0
    )
    try:
        start, end = int(request.POST["start"]), int(request.POST["end"])
        assessed_on = date.fromisoformat(request.POST.get("assessed_on") or str(document.published or date.today()))
        services.record_status_update(
            item=item,
            status=request.POST.get("status", ""),
            assessed_on=assessed_on,
            note=request.POST.get("note", "").strip(),
            evidence_document=document,
            evidence_start=start,
            evidence_end=end,
            author=request.user,
        )
    except (KeyError, ValueError):
        messages.error(request, "The passage's offsets and the date must be given (YYYY-MM-DD).")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Status of {item.reference} recorded with the passage of “{document}” as evidence.")
    return redirect("staff:evidence", pk=item.pk)


@staff_required("tracker.add_itemlink")
@require_http_methods(["POST"])
def evidence_link(request, pk: int):
    item = get_object_or_404(Item, pk=pk)
    other_id = request.POST.get("other", "")
    other = get_object_or_404(Item, pk=int(other_id) if other_id.isdigit() else 0)
    try:
        link = services.link_items(
            source=other,
            target=item,
            kind=request.POST.get("kind", ""),
            user=request.user,
            note=request.POST.get("note", ""),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Linked: {link}.")
    return redirect("staff:evidence", pk=item.pk)

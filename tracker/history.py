"""Where a change came from, as the edit history records it (simple-history's change reason).

Every writer sets `_change_reason` on the row it saves (and passes `origin` to
services.record_status_update), so the admin's history can say "Import", "Spreadsheet", "API" or
"Admin" instead of "None".

A writer that saves rows it does not hold itself (DRF's serializers create the row and its many-to-many
sets; a delete cascades) runs inside `recording(origin)`: every historical record made meanwhile
without a reason of its own gets that origin (a pre_create_historical_record receiver, connected in
tracker.apps).
"""

from contextlib import contextmanager
from contextvars import ContextVar

ADMIN = "admin"
API = "api"
IMPORT = "import_corpus"  # corpus_import.importer.CHANGE_REASON
SPREADSHEET = "import_items"  # tracker.item_import.CHANGE_REASON
SAMPLES = "sample_assessments"

ORIGIN_LABELS = {
    ADMIN: "Admin",
    API: "API",
    IMPORT: "Import",
    SPREADSHEET: "Spreadsheet",
    SAMPLES: "Sample assessments",
}


_current: ContextVar[str] = ContextVar("history_origin", default="")


@contextmanager
def recording(origin: str):
    """Historical records made inside this block without a reason of their own are given `origin`."""
    token = _current.set(origin)
    try:
        yield
    finally:
        _current.reset(token)


def fill_origin(sender, history_instance, **kwargs) -> None:
    """simple-history's pre_create_historical_record receiver: the block's origin where none was set."""
    origin = _current.get()
    if origin and not history_instance.history_change_reason:
        history_instance.history_change_reason = origin


def origin_label(reason: str | None) -> str:
    """The origin of a historical record for people: a known reason's label, else the reason as written."""
    if not reason:
        return "Not recorded"
    return ORIGIN_LABELS.get(reason, reason)

"""Where a change came from, as the edit history records it (simple-history's change reason).

Every writer sets `_change_reason` on the row it saves (and passes `origin` to
services.record_status_update), so the admin's history can say "Import", "Spreadsheet", "API" or
"Admin" instead of "None".
"""

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


def origin_label(reason: str | None) -> str:
    """The origin of a historical record for people: a known reason's label, else the reason as written."""
    if not reason:
        return "Not recorded"
    return ORIGIN_LABELS.get(reason, reason)

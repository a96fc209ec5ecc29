"""import_items: the spreadsheet round trip (export columns in, validated edits out)."""

import csv
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests import factories
from tracker.enums import ReviewState, Status
from tracker.models import Theme
from tracker.spreadsheet import ITEM_CSV_COLUMNS, item_to_row

pytestmark = pytest.mark.django_db


def export(items) -> list[dict]:
    return [item_to_row(item, latest_update=item.status_updates.first()) for item in items]


def write_csv(path, rows, columns=ITEM_CSV_COLUMNS):
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
    return path


def run(path, *args):
    out = StringIO()
    call_command("import_items", str(path), *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def items():
    nato = factories.ActorFactory(slug="nato", name="NATO", aliases=["the Alliance"])
    factories.ActorFactory(slug="serbia", name="Serbia", kind="state", iso_code="RS")
    theme = Theme.objects.get(slug="kosovo-dialogue")  # from the default taxonomy (migration 0003)
    first = factories.ItemFactory(reference="SI-2006-01", made_by=[nato], themes=[theme])
    second = factories.ItemFactory(reference="SI-2006-02")
    return first, second


def test_unchanged_export_imports_as_no_change(tmp_path, items):
    path = write_csv(tmp_path / "items.csv", export(items))

    assert "2 rows, 0 items changed, 0 status updates recorded" in run(path)


def test_edits_are_applied_and_recorded_in_history(tmp_path, items):
    first, second = items
    reviewer = factories.UserFactory(username="reviewer")
    rows = export(items)
    rows[0].update(
        title="Keep the peacekeepers",
        review_state=ReviewState.CONFIRMED,
        addressed_to="Serbia; the alliance",
        themes="",
        status=Status.IMPLEMENTED,
        status_date="2008-02-17",
        status_note="Declared",
        status_evidence_url="https://example.org/evidence",
    )
    path = write_csv(tmp_path / "items.csv", rows)

    output = run(path, "--user", "reviewer")

    assert "2 rows, 1 items changed, 1 status updates recorded" in output
    first.refresh_from_db()
    assert first.title == "Keep the peacekeepers"
    assert first.review_state == ReviewState.CONFIRMED
    assert sorted(first.addressed_to.values_list("slug", flat=True)) == ["nato", "serbia"]
    assert not first.themes.exists()
    assert first.status == Status.IMPLEMENTED
    update = first.status_updates.get()
    assert (update.assessed_on, update.note, update.evidence_url, update.author) == (
        date(2008, 2, 17),
        "Declared",
        "https://example.org/evidence",
        reviewer,
    )
    assert first.history.first().history_user == reviewer


def test_a_new_status_is_appended_to_the_history(tmp_path, items):
    first, _ = items
    factories.StatusUpdateFactory(item=first, status=Status.IN_PROGRESS, assessed_on=date(2010, 1, 1))
    rows = export([first])
    rows[0].update(status=Status.STALLED, status_date="2015-06-01", status_note="No progress")

    run(write_csv(tmp_path / "items.csv", rows))

    assert list(first.status_updates.values_list("status", flat=True)) == [Status.STALLED, Status.IN_PROGRESS]


def test_every_bad_row_is_reported_and_nothing_is_written(tmp_path, items):
    rows = export(items)
    rows[0].update(title="Changed", status="finished", made_by="Nobody")
    rows[1].update(reference="SI-2006-99")
    rows.append(dict(export(items)[0], review_state="maybe", status_date="17/02/2008", status="implemented"))
    path = write_csv(tmp_path / "items.csv", rows)

    with pytest.raises(CommandError) as error:
        run(path)

    message = str(error.value)
    assert "4 errors, nothing written" in message
    assert "row 2, column 'made_by': unknown actor: Nobody" in message
    assert "row 2, column 'status': 'finished' is not on the status scale" in message
    assert "row 3, column 'reference': no item has the reference 'SI-2006-99'" in message
    assert "row 4, column 'reference': SI-2006-01 already appears on row 2" in message
    items[0].refresh_from_db()
    assert items[0].title != "Changed"


def test_read_only_columns_and_unknown_columns_are_refused(tmp_path, items):
    rows = export(items)
    rows[0]["text"] = "Rewritten text"
    path = write_csv(tmp_path / "items.csv", rows)
    with pytest.raises(CommandError, match="row 2, column 'text': read-only column changed"):
        run(path)

    path = write_csv(tmp_path / "extra.csv", [{"reference": "SI-2006-01", "colour": "red"}], ["reference", "colour"])
    with pytest.raises(CommandError, match="row 1, column 'colour': unknown column"):
        run(path)


def test_partial_columns_update_only_those_fields(tmp_path, items):
    first, _ = items
    path = write_csv(
        tmp_path / "items.csv", [{"reference": "SI-2006-01", "review_state": "rejected"}], ["reference", "review_state"]
    )

    run(path)

    first.refresh_from_db()
    assert first.review_state == ReviewState.REJECTED
    assert list(first.made_by.values_list("slug", flat=True)) == ["nato"]


def test_dry_run_validates_and_writes_nothing(tmp_path, items):
    rows = export(items)
    rows[0]["title"] = "Changed"

    output = run(write_csv(tmp_path / "items.csv", rows), "--dry-run")

    assert "Dry run (nothing written): 2 rows, 1 items changed" in output
    items[0].refresh_from_db()
    assert items[0].title != "Changed"


def test_missing_file_and_unknown_user_are_clear_errors(tmp_path, items):
    with pytest.raises(CommandError, match="no such file"):
        run(tmp_path / "absent.csv")
    path = write_csv(tmp_path / "items.csv", export(items))
    with pytest.raises(CommandError, match="--user: no user named 'ghost'"):
        run(path, "--user", "ghost")

"""Apply a reviewed item spreadsheet (the API's CSV export): a thin shell over tracker.item_import."""

import csv
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from tracker.item_import import SpreadsheetError, import_items_csv


class Command(BaseCommand):
    help = (
        "Update items by reference from a CSV with the columns of the API export: status (with a dated note "
        "and evidence), review state, title, strength, target date, actors and themes (by slug or name). "
        "Every row is validated first; on any error nothing is written."
    )
    missing_args_message = "Give the CSV file to import, e.g. python manage.py import_items items.csv"

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="CSV file (UTF-8, as exported by /api/v1/items/export.csv).")
        parser.add_argument("--user", help="Username recorded in the history as the author of the changes.")
        parser.add_argument("--dry-run", action="store_true", help="Validate and report; write nothing.")

    def handle(self, *args, file, user, dry_run, verbosity, **options):
        author = None
        if user:
            author = get_user_model().objects.filter(username=user).first()
            if author is None:
                raise CommandError(f"--user: no user named {user!r}.")
        try:
            with file.open(encoding="utf-8-sig", newline="") as stream:
                result = import_items_csv(stream, user=author, dry_run=dry_run)
        except FileNotFoundError:
            raise CommandError(f"{file}: no such file.") from None
        except UnicodeDecodeError as exc:
            raise CommandError(f"{file}: not valid UTF-8 (byte offset {exc.start}).") from None
        except SpreadsheetError as exc:
            raise CommandError(f"{file}: {len(exc.errors)} errors, nothing written:\n{exc}") from None
        except csv.Error as exc:
            raise CommandError(f"{file}: not a readable CSV file: {exc}") from None
        if verbosity >= 2:
            for reference in result.items_changed:
                self.stdout.write(f"changed: {reference}")
        if verbosity >= 1:
            prefix = "Dry run (nothing written): " if dry_run else ""
            self.stdout.write(
                self.style.SUCCESS(
                    f"{prefix}{result.rows} rows, {len(result.items_changed)} items changed, "
                    f"{result.status_updates} status updates recorded."
                )
            )

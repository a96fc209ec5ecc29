"""Import corpus documents into the tracker: a thin shell over corpus_import.importer."""

import time
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from corpus_import.errors import ImportInputError
from corpus_import.importer import DocumentReport, import_corpus
from corpus_import.sources import iter_sources, plan_sources


class Command(BaseCommand):
    help = (
        "Import documents (UTF-8 text, an HTML page or a PDF, plus a manifest entry; or text with TOML front "
        "matter) into the tracker: "
        "documents, sections, items, citations, actors and themes. Re-running on unchanged input changes "
        "nothing; curated fields are never overwritten; one transaction per run."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "paths",
            nargs="*",
            type=Path,
            help="A manifest.toml, a folder holding one, or a text file with +++ front matter. "
            "Default: the bundled corpus (settings.CORPUS_DIR).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Print the report and write nothing.")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Let a file take over the slug of a document imported from another file (refused otherwise).",
        )

    def handle(self, *args, paths, dry_run, verbosity, replace=False, **options):
        paths = paths or [settings.CORPUS_DIR]
        started = time.perf_counter()
        current = {"slug": None}
        try:
            planned = plan_sources(paths)

            def tracked():
                # Remember which document is being written, to name it if the database refuses it.
                for meta, text, source in iter_sources(planned):
                    current["slug"] = meta.slug
                    yield meta, text, source

            def progress(index: int, report: DocumentReport) -> None:
                if verbosity >= 1:
                    self.stdout.write(f"[{index}/{len(planned)}] {report.slug}: {self._counts(report)}")
                if verbosity >= 2:
                    for label in ("created", "updated", "reanchored", "orphaned"):
                        for reference in getattr(report, label):
                            self.stdout.write(f"    {label}: {reference}")

            report = import_corpus(tracked(), dry_run=dry_run, on_document=progress, replace=replace)
        except ImportInputError as exc:
            raise CommandError(str(exc)) from exc
        except ValidationError as exc:
            raise CommandError(f"{current['slug'] or 'the corpus'}: invalid data: {exc.messages}") from exc
        except DatabaseError as exc:
            raise CommandError(
                f"Database error while importing {current['slug'] or 'the corpus'}; nothing was written: {exc}"
            ) from exc
        if verbosity >= 1:
            prefix = "Dry run (nothing written): " if dry_run else ""
            self.stdout.write(
                self.style.SUCCESS(
                    f"{prefix}{len(report.documents)} documents, {report.created} created, {report.updated} updated, "
                    f"{report.orphaned} orphaned, {report.unchanged} unchanged, {report.reanchored} re-anchored "
                    f"in {time.perf_counter() - started:.2f} s."
                )
            )

    @staticmethod
    def _counts(report: DocumentReport) -> str:
        counts = (
            f"{report.status}, {len(report.created)} created, {len(report.updated)} updated, "
            f"{len(report.orphaned)} orphaned, {report.unchanged} unchanged, {len(report.reanchored)} re-anchored"
        )
        if report.dropped_citations:
            counts += f", {report.dropped_citations} citations whose quote left the text removed"
        return counts

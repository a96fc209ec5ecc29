"""Load the sample assessments shipped with the bundled corpus: a thin shell over tracker.samples."""

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from corpus_import.errors import ImportInputError
from tracker.samples import load_sample_assessments


class Command(BaseCommand):
    help = (
        "Record the sample status assessments of corpus/sample_assessments.toml (each citing its evidence "
        "passage in a later bundled document). Idempotent; run after import_corpus."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "path",
            nargs="?",
            type=Path,
            help="A sample assessments TOML file. Default: sample_assessments.toml in settings.CORPUS_DIR.",
        )

    def handle(self, *args, path, verbosity, **options):
        path = path or Path(settings.CORPUS_DIR) / "sample_assessments.toml"
        try:
            report = load_sample_assessments(path)
        except (ImportInputError, ValidationError) as exc:
            raise CommandError(str(exc)) from exc
        if verbosity >= 1:
            self.stdout.write(
                self.style.SUCCESS(
                    f"{len(report.created)} sample assessments recorded, {report.skipped} already there."
                )
            )

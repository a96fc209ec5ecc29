"""Fill the database with a synthetic data set for benchmarks (see tracker/synthetic.py for what and how)."""

import time

from django.core.management.base import BaseCommand, CommandError

from tracker.synthetic import generate


class Command(BaseCommand):
    help = (
        "Add synthetic items (with ~300 actors, the theme taxonomy, citations and status histories) for "
        "benchmarks. Writes raw rows in batches (COPY on PostgreSQL) and bypasses django-simple-history."
    )

    def add_arguments(self, parser):
        parser.add_argument("--items", type=int, required=True, help="Number of items to add, e.g. 100000.")
        parser.add_argument("--actors", type=int, default=300, help="Number of synthetic actors (default 300).")
        parser.add_argument("--seed", type=int, default=1, help="Random seed: the same seed gives the same data.")
        parser.add_argument("--batch-size", type=int, default=10_000, help="Items per batch (default 10000).")

    def handle(self, *args, items, actors, seed, batch_size, **options):
        if items < 1 or actors < 1 or batch_size < 1:
            raise CommandError("--items, --actors and --batch-size must be positive.")
        verbosity = options["verbosity"]
        started = time.monotonic()

        def progress(done):
            if verbosity >= 2:
                self.stdout.write(f"{done} items ({time.monotonic() - started:.1f} s)")

        summary = generate(items=items, actors=actors, seed=seed, batch_size=batch_size, progress=progress)
        if verbosity >= 1:
            self.stdout.write(
                f"Added {summary.items} items, {summary.citations} citations, {summary.status_updates} status updates, "
                f"{summary.join_rows} actor/theme links, {summary.actors} actors and {summary.documents} documents "
                f"in {time.monotonic() - started:.1f} s."
            )

"""Check the citation invariant over the whole database: quote == document.text[start:end]."""

from django.core.management.base import BaseCommand, CommandError

from tracker.models import Citation, Document, StatusUpdate


class Command(BaseCommand):
    help = "Verify that every citation's quote is exactly its document's text between its offsets."

    def handle(self, *args, verbosity, **options):
        problems = []
        checked = 0
        # One document's text in memory at a time; citations streamed in offset order.
        for document_id, text in Document.objects.values_list("id", "text").iterator(chunk_size=20):
            citations = (
                Citation.objects.filter(document_id=document_id)
                .values_list("id", "item__reference", "start", "end", "quote")
                .order_by("start", "id")
            )
            for citation_id, reference, start, end, quote in citations.iterator(chunk_size=2000):
                checked += 1
                if text[start:end] != quote:
                    problems.append(
                        f"citation {citation_id} of {reference}: document text at {start}-{end} is "
                        f"{text[start:end][:60]!r}, the quote is {quote[:60]!r}"
                    )
        # Evidence passages of status updates keep the same invariant as citations.
        for document_id, text in (
            Document.objects.filter(evidence_for__isnull=False)
            .distinct()
            .values_list("id", "text")
            .iterator(chunk_size=20)
        ):
            updates = StatusUpdate.objects.filter(evidence_document_id=document_id).values_list(
                "id", "item__reference", "evidence_start", "evidence_end", "evidence_quote"
            )
            for update_id, reference, start, end, quote in updates.iterator(chunk_size=2000):
                checked += 1
                if text[start:end] != quote:
                    problems.append(
                        f"evidence passage of status update {update_id} ({reference}): document text at {start}-{end} "
                        f"is {text[start:end][:60]!r}, the quote is {quote[:60]!r}"
                    )
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(f"{len(problems)} of {checked} citations do not match their document.")
        if verbosity >= 1:
            self.stdout.write(self.style.SUCCESS(f"All {checked} citations match their documents."))

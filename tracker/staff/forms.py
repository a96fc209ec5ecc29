"""Forms of the staff pages. Validation of document metadata is the manifest's own (corpus_import.manifest)."""

from django import forms

from corpus_import.errors import ImportInputError
from corpus_import.manifest import MAX_FILE_BYTES
from corpus_import.records import DOCUMENT_KINDS
from tracker.enums import DocumentKind


class UploadForm(forms.Form):
    file = forms.FileField(
        required=False, help_text=f"A .txt, .html/.htm or .pdf file, at most {MAX_FILE_BYTES // 2**20} MB."
    )
    text = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 8}), label="or paste the text")

    def clean(self):
        cleaned = super().clean()
        upload, text = cleaned.get("file"), (cleaned.get("text") or "").strip()
        if upload and text:
            raise forms.ValidationError("Give a file or pasted text, not both.")
        if not upload and not text:
            raise forms.ValidationError("Choose a file or paste the text.")
        if upload and upload.size > MAX_FILE_BYTES:
            self.add_error("file", f"The file is {upload.size} bytes, over the limit of {MAX_FILE_BYTES} bytes.")
        return cleaned

    def name_and_bytes(self) -> tuple[str, bytes]:
        upload = self.cleaned_data.get("file")
        if upload:
            return upload.name, upload.read()
        return "pasted.txt", (self.cleaned_data["text"].strip() + "\n").encode("utf-8")


class MetadataForm(forms.Form):
    """The manifest's fields; `clean` runs the manifest's checks and keeps the resulting DocumentMeta."""

    title = forms.CharField(max_length=300)
    slug = forms.CharField(max_length=100, help_text="Lowercase letters, digits and single hyphens.")
    reference_prefix = forms.CharField(max_length=32, help_text='Starts every item reference, e.g. "NATO-2026".')
    kind = forms.ChoiceField(choices=[(value, DocumentKind(value).label) for value in DOCUMENT_KINDS])
    publisher = forms.CharField(max_length=200, required=False)
    author = forms.CharField(max_length=200, required=False)
    published = forms.CharField(required=False, help_text="YYYY, YYYY-MM or YYYY-MM-DD; leave empty if unknown.")
    url = forms.CharField(max_length=500, required=False)
    language = forms.CharField(max_length=16, initial="en")
    replace = forms.BooleanField(
        required=False, help_text="Let this file take over the slug of a document imported from another file."
    )

    def __init__(self, *args, source=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.source = source
        self.meta = None

    def clean(self):
        from tracker.staff.intake import build_meta

        cleaned = super().clean()
        if self.errors:
            return cleaned
        try:
            self.meta = build_meta(self.source, cleaned)
        except ImportInputError as exc:
            self.add_import_error(exc)
        return cleaned

    def add_import_error(self, exc: ImportInputError) -> None:
        field = exc.field if exc.field in self.fields else None
        self.add_error(field, exc.message)

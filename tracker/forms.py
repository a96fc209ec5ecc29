"""Forms of the admin: the citation inline, the bulk status update and the actor/document filter boxes."""

import hashlib

from django import forms
from django.contrib.admin.widgets import AdminDateWidget, AutocompleteSelect

from tracker.enums import Status
from tracker.models import Citation, Document


class CitationAdminForm(forms.ModelForm):
    """Document + span is what a reviewer picks; the quote is filled from the text, or checked if typed."""

    class Meta:
        model = Citation
        fields = ["document", "section", "start", "end", "quote", "position"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quote"].required = False
        self.fields["quote"].help_text = "Left blank, it is filled from the document text at start-end."
        self.fields["quote"].widget.attrs.update(rows=2)

    def clean(self):
        cleaned = super().clean()
        document, start, end = cleaned.get("document"), cleaned.get("start"), cleaned.get("end")
        # A span outside the text is refused by Citation.clean (run next, in _post_clean), with its message.
        has_span = document is not None and start is not None and end is not None
        if has_span and 0 <= start < end <= len(document.text) and not cleaned.get("quote"):
            cleaned["quote"] = document.text[start:end]
        return cleaned


class DocumentAdminForm(forms.ModelForm):
    """On a new document the SHA-256 is computed from the text when left blank, and checked when typed."""

    class Meta:
        model = Document
        fields = [
            "slug",
            "reference_prefix",
            "title",
            "kind",
            "publisher",
            "author",
            "published",
            "date_precision",
            "url",
            "language",
            "source_file",
            "text",
            "sha256",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "sha256" in self.fields:
            self.fields["sha256"].required = False
            self.fields["sha256"].help_text = "Left blank, it is computed from the text."

    def clean(self):
        cleaned = super().clean()
        text = cleaned.get("text")
        if "sha256" not in self.fields or not text:
            return cleaned
        digest = hashlib.sha256(text.encode()).hexdigest()
        if not cleaned.get("sha256"):
            cleaned["sha256"] = digest
        elif cleaned["sha256"] != digest:
            self.add_error("sha256", f"This is not the SHA-256 of the text, which is {digest}.")
        return cleaned


class StatusUpdateActionForm(forms.Form):
    """The intermediate page of the "record a status update" bulk action."""

    # No status chosen in advance: a reviewer picks one (the first on the scale was recorded by mistake).
    status = forms.ChoiceField(choices=[("", "Choose a status…"), *Status.choices])
    assessed_on = forms.DateField(
        label="Assessed on",
        help_text="The date the assessment is about (YYYY-MM-DD).",
        widget=AdminDateWidget(),  # the change page's own date field: YYYY-MM-DD with Today and a calendar
    )
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)
    evidence_url = forms.URLField(label="Evidence URL", max_length=500, required=False, assume_scheme="https")
    # Set by the warning page: the reviewer saw that this repeats some items' latest update.
    confirm_repeat = forms.BooleanField(required=False, label="Record it anyway", widget=forms.HiddenInput())


class AutocompleteFilterForm(forms.Form):
    """One autocomplete box for a list filter: renders the admin's select2 widget over `field`."""

    def __init__(self, *args, field, admin_site, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[field.name] = forms.ModelChoiceField(
            queryset=queryset,
            required=False,
            label=field.verbose_name.capitalize(),
            widget=AutocompleteSelect(field, admin_site, attrs={"data-placeholder": "Type to search…"}),
        )

"""factory_boy factories for every tracker model. Citations take their quote from the document text."""

import hashlib
from datetime import date

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission

from tracker import models
from tracker.enums import ActorKind, DatePrecision, DocumentKind, ItemKind, LinkKind, Status, Strength

SAMPLE_TEXT = (
    "1. Introduction\n"
    "Countries in the region must conclude free trade agreements among each other. "
    "National governments should set up a Regional Roma Centre for the Balkans. "
    "The media could form an Association of the Media in Southeast Europe.\n"
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery staple")

    @factory.post_generation
    def permissions(self, create, extracted, **kwargs):
        """permissions=["tracker.change_item", ...]"""
        if create and extracted:
            for label in extracted:
                app_label, codename = label.split(".")
                self.user_permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
        if create:
            self.save()


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Document

    slug = factory.Sequence(lambda n: f"document-{n}")
    reference_prefix = factory.Sequence(lambda n: f"DOC{n}")
    title = factory.Sequence(lambda n: f"Document {n}")
    kind = DocumentKind.STRATEGY
    publisher = "Atlantic Treaty Association"
    published = date(2006, 10, 1)
    date_precision = DatePrecision.MONTH
    text = SAMPLE_TEXT
    sha256 = factory.LazyAttribute(lambda d: hashlib.sha256(d.text.encode()).hexdigest())


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Section

    document = factory.SubFactory(DocumentFactory)
    number = factory.Sequence(lambda n: f"{n + 1}")
    heading = factory.Sequence(lambda n: f"Section {n}")
    start = 0
    end = factory.LazyAttribute(lambda s: len(s.document.text))


class ActorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Actor

    name = factory.Sequence(lambda n: f"Actor {n}")
    slug = factory.Sequence(lambda n: f"actor-{n}")
    kind = ActorKind.INTERNATIONAL_ORGANISATION


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Theme

    slug = factory.Sequence(lambda n: f"theme-{n}")
    name = factory.Sequence(lambda n: f"Theme {n}")
    description = "A theme made for a test."


class ItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Item
        skip_postgeneration_save = True

    kind = ItemKind.RECOMMENDATION
    reference = factory.Sequence(lambda n: f"TEST-{n:05d}")
    document = factory.SubFactory(DocumentFactory)
    title = factory.Sequence(lambda n: f"Item {n}")
    text = "Countries in the region must conclude free trade agreements among each other."
    strength = Strength.MUST
    date = factory.LazyAttribute(lambda i: i.document.published)

    @factory.post_generation
    def made_by(self, create, extracted, **kwargs):
        if create and extracted:
            self.made_by.set(extracted)

    @factory.post_generation
    def addressed_to(self, create, extracted, **kwargs):
        if create and extracted:
            self.addressed_to.set(extracted)

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if create and extracted:
            self.themes.set(extracted)


class CitationFactory(factory.django.DjangoModelFactory):
    """Quotes the first occurrence of the item's text in its document (or the span given)."""

    class Meta:
        model = models.Citation

    item = factory.SubFactory(ItemFactory)
    document = factory.LazyAttribute(lambda c: c.item.document)
    start = factory.LazyAttribute(lambda c: max(c.document.text.find(c.item.text), 0))
    end = factory.LazyAttribute(lambda c: c.start + len(c.item.text) if c.item.text in c.document.text else 10)
    quote = factory.LazyAttribute(lambda c: c.document.text[c.start : c.end])


class StatusUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.StatusUpdate

    item = factory.SubFactory(ItemFactory)
    status = Status.IN_PROGRESS
    assessed_on = date(2020, 1, 1)
    note = "Assessed for a test."


class ItemLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ItemLink

    source = factory.SubFactory(ItemFactory)
    target = factory.SubFactory(ItemFactory)
    kind = LinkKind.FOLLOWS_UP

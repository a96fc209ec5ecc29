"""Reusable read filters, exposed on the managers (Item.objects.made_by_any(...), ...)."""

from django.db import models
from django.db.models import BooleanField, Expression, F, Func, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from tracker.enums import Status


class RelatedRowsExist(Expression):
    """EXISTS (SELECT 1 FROM <join table> WHERE <item column> = <the item's id> AND <other column> IN (<ids>)).

    The condition the ORM writes for Exists(Through.objects.filter(item_id=OuterRef("pk"), actor__in=ids)),
    built as SQL directly: the ORM version builds, clones and relabels a whole inner query on each request
    (about 1 ms per filter at the API's request rates). The ids are bound parameters; the alias cannot clash
    with the ORM's (T1, U0, ...) when the outer query becomes a subquery, as the outer column is relabelled.
    """

    output_field = BooleanField()
    conditional = True

    def __init__(self, through, item_column: str, column: str, ids):
        super().__init__()
        self.table = through._meta.db_table
        self.item_column = through._meta.get_field(item_column).column
        self.column = through._meta.get_field(column).column
        self.ids = sorted({int(pk) for pk in ids})
        self.outer = F("pk")
        # Set on a copy by tracker.facets for the 1-in-N sample: the same rows, stated on the join table too,
        # so its probes can use the sample's small partial indexes (migration 0015).
        self.sample_every = 0

    def get_source_expressions(self):
        return [self.outer]

    def set_source_expressions(self, exprs):
        (self.outer,) = exprs

    def as_sql(self, compiler, connection):
        if not self.ids:
            return "1 = 0", []
        outer_sql, outer_params = compiler.compile(self.outer)
        quote = connection.ops.quote_name
        placeholders = ", ".join(["%s"] * len(self.ids))
        # Table and column names come from the model's metadata, quoted; the ids are bound parameters.
        table, item_column, column = quote(self.table), quote(self.item_column), quote(self.column)
        sql = f"EXISTS (SELECT 1 FROM {table} related_rows WHERE related_rows.{item_column} = {outer_sql} AND "  # noqa: S608
        sql += f"related_rows.{column} IN ({placeholders})"
        if self.sample_every:
            sql += f" AND (related_rows.{item_column} %% {int(self.sample_every)}) = 0"  # %%: the driver's escape
        return f"{sql})", (*outer_params, *self.ids)


def count_of(queryset):
    """A correlated `SELECT COUNT(*) ... WHERE <queryset's filter>` for annotating, 0 when nothing matches."""
    counted = queryset.order_by().annotate(_n=Func(F("pk"), function="COUNT")).values("_n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


class ThemeQuerySet(models.QuerySet):
    def with_descendants(self, themes) -> "ThemeQuerySet":
        """The given themes and every theme below them in the hierarchy."""
        condition = Q()
        for theme in themes:
            condition |= Q(path=theme.path) | Q(path__startswith=f"{theme.path}/")
        return self.filter(condition) if condition else self.none()


LIST_ROW_FIELDS = (
    "id",
    "reference",
    "title",
    "status",
    "kind",
    "date",
    "document__slug",
    "document__title",
    "section__number",
    "section__heading",
    "section__start",
)


class ItemQuerySet(models.QuerySet):
    def made_by_any(self, actors):
        return self._with_actor("made_by", actors)

    def addressed_to_any(self, actors):
        return self._with_actor("addressed_to", actors)

    def involving_any(self, actors):
        """Items an actor made or is addressed by: one EXISTS on ActorRole (both roles in one table, one index),
        which PostgreSQL plans well for popular and rare actors alike (an OR over the two join tables did not)."""
        return self.filter(RelatedRowsExist(self._related_model("ActorRole"), "item", "actor", self._ids(actors)))

    def _actor_rows(self, role: str, actors) -> RelatedRowsExist:
        return RelatedRowsExist(getattr(self.model, role).through, "item", "actor", self._ids(actors))

    @staticmethod
    def _ids(objects) -> list[int]:
        return [obj if isinstance(obj, int) else obj.pk for obj in objects]

    def _with_actor(self, role: str, actors):
        # EXISTS on the join table rather than a JOIN: no duplicate rows, so no DISTINCT and no
        # sort of the whole filtered set before the page is cut.
        return self.filter(self._actor_rows(role, actors))

    def in_themes(self, themes, *, descendants: bool = True):
        if descendants:
            themes = self._related("themes").objects.with_descendants(list(themes))
        # Literal theme ids, not a subquery: with a subquery PostgreSQL cannot estimate how many items
        # match and sorts every item of the theme instead of walking the id index (0.6 ms vs 25 ms).
        theme_ids = [theme if isinstance(theme, int) else theme.pk for theme in themes]
        return self.filter(RelatedRowsExist(self.model.themes.through, "item", "theme", theme_ids))

    def with_status_as_of(self, day):
        """Annotate `status_as_of`: the status of the latest update assessed on or before `day`."""
        latest = (
            self._related("status_updates")
            .objects.filter(item_id=OuterRef("pk"), assessed_on__lte=day)
            .order_by("-assessed_on", "-created_at", "-id")
            .values("status")[:1]
        )
        return self.annotate(status_as_of=Coalesce(Subquery(latest), Value(Status.UNKNOWN.value)))

    def with_list_relations(self):
        """What a list row shows (document, section, actors and themes) in a fixed number of queries."""
        actors = self._related("made_by").objects.only("id", "slug", "name")
        # Only what a row shows: a document's text (25 KB each in the synthetic data, 1.2 MB for a page of
        # 50), the item's own text, search vector and extraction trace stay in the database.
        return (
            self.select_related("document", "section")
            .only(*LIST_ROW_FIELDS)
            .prefetch_related(
                models.Prefetch("made_by", queryset=actors),
                models.Prefetch("addressed_to", queryset=actors),
                models.Prefetch("themes", queryset=self._related("themes").objects.only("id", "slug", "name", "path")),
            )
        )

    def _related_model(self, name: str):
        return self.model._meta.apps.get_model(self.model._meta.app_label, name)

    def _related(self, name: str):
        # The related model through the field, so this module need not import models.py (which imports it).
        return self.model._meta.get_field(name).related_model

"""The kept counts of one actor in one role, by theme, status and kind, in one covering partial index (PostgreSQL):
tracker.facets reads an actor's theme facet (and the count that decides between recount and estimate) from them.
Through the (role, theme_id, actor_id) index they were found by scanning every actor's rows of the role (316 index
pages at 1,000,000 items) and then read from 620 table pages; here about 14 index pages.

Cost: 43 MB; an update of such a row is no longer HOT (its `n` is in the index): a status update took 29-39 ms with
it, 39-43 ms without (noise; 20 updates each, load 1.6-1.8). SQLite: nothing (no kept table there)."""

from django.db import migrations

from tracker.migration_operations import postgresql_only

INDEX = (
    "CREATE INDEX item_count_actor_theme_idx ON tracker_itemcount (role, actor_id, theme_id) "
    "INCLUDE (status, kind, n) WHERE document_id = 0"
)


class Migration(migrations.Migration):
    dependencies = [("tracker", "0016_facet_rows_index")]

    operations = [postgresql_only([INDEX], ["DROP INDEX IF EXISTS item_count_actor_theme_idx"])]

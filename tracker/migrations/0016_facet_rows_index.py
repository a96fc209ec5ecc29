"""The facet recount's item columns in one covering index (PostgreSQL): tracker.facets reads the status, kind and
document of up to 5,000 matching items by id. From the table (646 MB at 1,000,000 items, wide rows, more than this
server's buffers) that was one random table page per item: 2,800 pages, 0.2-0.26 s cold for a middling actor. From
the index alone (61 MB, a few items per leaf page): 35 ms. The recount's other reads, the (item, theme) and
(item, actor) pairs, were already index-only (the join tables' (item_id, theme_id) and (item_id, actor_id) indexes).

Cost: none to updates beyond what there was: a status change already rewrote the row's index entries (the
`updated_at` index makes it a non-HOT update). SQLite: nothing (a development database is small)."""

from django.db import migrations

from tracker.migration_operations import postgresql_only

INDEX = "CREATE INDEX item_facet_rows_idx ON tracker_item (id) INCLUDE (status, kind, document_id)"


class Migration(migrations.Migration):
    dependencies = [("tracker", "0015_sample_join_indexes")]

    operations = [postgresql_only([INDEX], ["DROP INDEX IF EXISTS item_facet_rows_idx"])]

"""The items whose id is a multiple of 128: the sample tracker.facets estimates large filtered sets from."""

from django.db import migrations

FORWARD = "CREATE INDEX item_facet_sample_idx ON tracker_item (id) WHERE (id % 128) = 0"
BACKWARD = "DROP INDEX IF EXISTS item_facet_sample_idx"


class Migration(migrations.Migration):
    dependencies = [("tracker", "0012_item_counts")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]

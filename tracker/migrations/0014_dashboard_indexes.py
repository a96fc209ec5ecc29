"""Dashboard indexes: the newest status updates by (created_at, id), and the status updates of the
facet sample's items (item id a multiple of 128), which the chart over time is estimated from at scale."""

from django.db import migrations, models

SAMPLE_FORWARD = "CREATE INDEX status_update_sample_idx ON tracker_statusupdate (item_id) WHERE (item_id % 128) = 0"
SAMPLE_BACKWARD = "DROP INDEX IF EXISTS status_update_sample_idx"


class Migration(migrations.Migration):
    dependencies = [("tracker", "0013_facet_sample_index")]

    operations = [
        migrations.RemoveIndex(model_name="statusupdate", name="status_update_created_idx"),
        migrations.AddIndex(
            model_name="statusupdate",
            index=models.Index(fields=["-created_at", "-id"], name="status_update_created_idx"),
        ),
        migrations.RunSQL(SAMPLE_FORWARD, SAMPLE_BACKWARD),
    ]

from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save


class TrackerConfig(AppConfig):
    name = "tracker"
    verbose_name = "Recommendations tracker"

    def ready(self):
        from tracker import reference_cache
        from tracker.api import json_rows
        from tracker.models import Actor, Theme

        # The item filters' copy of actors and themes: this process drops it when one changes.
        for model in (Actor, Theme):
            uid = f"reference_cache_{model.__name__}"
            post_save.connect(reference_cache.clear, sender=model, dispatch_uid=f"{uid}_save")
            post_delete.connect(reference_cache.clear, sender=model, dispatch_uid=f"{uid}_delete")
        # PostgreSQL's item-page JSON function follows tracker/sql/item_rows_json.sql after every migrate.
        post_migrate.connect(json_rows.install_after_migrate, sender=self, dispatch_uid="tracker_item_rows_json")

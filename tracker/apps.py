from django.apps import AppConfig
from django.core.signals import request_started
from django.db.models.signals import post_delete, post_migrate, post_save, pre_migrate


class TrackerConfig(AppConfig):
    name = "tracker"
    verbose_name = "Recommendations tracker"

    def ready(self):
        from simple_history.signals import pre_create_historical_record

        from config.db import drop_connections_closed_by_server
        from tracker import history, recount_view, reference_cache
        from tracker.api import json_rows
        from tracker.models import Actor, Theme

        # The item filters' copy of actors and themes: this process drops it when one changes.
        for model in (Actor, Theme):
            uid = f"reference_cache_{model.__name__}"
            post_save.connect(reference_cache.clear, sender=model, dispatch_uid=f"{uid}_save")
            post_delete.connect(reference_cache.clear, sender=model, dispatch_uid=f"{uid}_delete")
        # PostgreSQL's item-page JSON function follows tracker/sql/item_rows_json.sql after every migrate.
        post_migrate.connect(json_rows.install_after_migrate, sender=self, dispatch_uid="tracker_item_rows_json")
        # The recount view likewise follows tracker/sql/item_count_recount.sql; on SQLite it is out of the way
        # while migrations run.
        pre_migrate.connect(recount_view.drop_before_migrate, sender=self, dispatch_uid="tracker_recount_view_drop")
        post_migrate.connect(recount_view.install_after_migrate, sender=self, dispatch_uid="tracker_recount_view")
        # A block's origin (an API request) on every historical record made without a reason of its own.
        pre_create_historical_record.connect(history.fill_origin, dispatch_uid="tracker_history_origin")
        # A worker's kept PostgreSQL connection that the server closed (a restart) is replaced, not failed on.
        request_started.connect(drop_connections_closed_by_server, dispatch_uid="drop_connections_closed_by_server")

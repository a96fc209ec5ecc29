"""Load the default theme taxonomy (tracker/taxonomy.py): the ATA strategy's objectives and the extra themes."""

from django.db import migrations

from tracker.taxonomy import THEMES


def load_themes(apps, schema_editor):
    Theme = apps.get_model("tracker", "Theme")
    by_slug = {}
    for position, spec in enumerate(THEMES):
        parent = by_slug.get(spec.parent)
        path = f"{parent.path}/{spec.slug}" if parent else spec.slug
        theme, _ = Theme.objects.update_or_create(
            slug=spec.slug,
            defaults={
                "name": spec.name,
                "description": spec.description,
                "code": spec.code,
                "parent": parent,
                "path": path,
                "position": position,
            },
        )
        by_slug[spec.slug] = theme


class Migration(migrations.Migration):
    dependencies = [("tracker", "0002_search_and_join_indexes")]

    operations = [migrations.RunPython(load_themes, migrations.RunPython.noop)]

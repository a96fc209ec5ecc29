"""FilterSet build time for one item list request, with and without tracker.filterset_base's copy shortcuts.

    .venv/bin/python benchmarks/filterset_benchmark.py

Builds ItemFilterSet for a status + kind + q + ordering request (no database query) and prints the best
per-build time of five runs, then again with CheapCopy's shallow copy removed, then also with
django-filter's own get_form_class (a new form class and fields per instance).
"""

import os
import sys
import timeit
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")


def main() -> None:
    import django

    django.setup()
    import django_filters
    from django.http import QueryDict

    from tracker import filterset_base
    from tracker.filtersets import ItemFilterSet
    from tracker.models import Item

    data = QueryDict("status=stalled&kind=recommendation&q=trade&ordering=-date")

    def build():
        filterset = ItemFilterSet(data, Item.objects.all())
        filterset.is_valid()
        return filterset.qs

    def report(label: str, n: int = 300) -> None:
        build()
        best = min(timeit.repeat(build, number=n, repeat=5)) / n
        print(f"{label:45} {best * 1000:.3f} ms")

    report("filterset_base as is")
    del filterset_base.CheapCopy.__deepcopy__
    report("without CheapCopy")
    filterset_base.FilterSet.get_form_class = django_filters.FilterSet.get_form_class
    report("without CheapCopy and the cached partial forms")


if __name__ == "__main__":
    main()

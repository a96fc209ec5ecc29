"""Turning the corpus texts into tracker items.

``records``, ``manifest``, ``segment``, ``gazetteer`` and ``extract`` are pure Python (text in,
dataclasses out) and import nothing from Django, so they can be tested and reused without a
database.
"""

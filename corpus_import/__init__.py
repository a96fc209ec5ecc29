"""Turning the corpus texts into tracker items.

Everything here but ``importer`` (ORM writes), ``apps`` and ``management`` is pure Python (text in,
dataclasses out) and imports nothing from Django, so it can be tested and reused without a database:
``tests/test_pure_extraction.py`` imports every such module in an interpreter where Django cannot
be imported.
"""

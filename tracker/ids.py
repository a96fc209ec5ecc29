"""Ids and counts from text: the one parser for URL kwargs, query parameters and request bodies.

`str.isdigit()` accepts "²" and "٣" (which int() then refuses or reads as a digit of another
script), and an id beyond PostgreSQL's bigint fails in the database: ids here are ASCII digits, 1 to
MAX_ID, whether they arrive in a URL, a filter or a body. Anything else is "no such id" (None), which
each caller turns into its 404 or 400.
"""

MAX_ID = 2**63 - 1  # bigint, the primary keys' type (BigAutoField)


def parse_number(value, *, maximum: int) -> int | None:
    """A whole number from 1 to maximum, given as ASCII digits or as a JSON integer; None otherwise."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= len(str(maximum)):
        number = int(value)
    else:
        return None
    return number if 1 <= number <= maximum else None


def parse_id(value) -> int | None:
    """A primary key (1 to MAX_ID) from text or a JSON integer; None when it cannot be one."""
    return parse_number(value, maximum=MAX_ID)

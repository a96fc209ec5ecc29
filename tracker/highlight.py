"""A quoted span shown in its context: pure string work, no HTML.

`passage_around(text, start, end)` cuts the text around a span into three plain strings (before,
quote, after) for a template to escape and wrap, e.g.

    {{ passage.before }}<mark>{{ passage.quote }}</mark>{{ passage.after }}

Nothing here marks anything safe: document text is untrusted, escaping is the caller's template's job.
"""

from dataclasses import dataclass

ELLIPSIS = "…"


@dataclass(frozen=True)
class Passage:
    before: str  # context before the quote, starting with ELLIPSIS when the text was cut
    quote: str  # exactly text[start:end]
    after: str  # context after the quote, ending with ELLIPSIS when the text was cut
    start_offset: int  # where the shown context starts in the text (the ellipsis excluded)
    end_offset: int  # where the shown context ends in the text
    clipped_before: bool  # text before start_offset was left out
    clipped_after: bool  # text after end_offset was left out

    def __str__(self):
        return f"{self.before}{self.quote}{self.after}"


def passage_around(text: str, start: int, end: int, context: int = 300) -> Passage:
    """The span text[start:end] with up to `context` characters either side, trimmed to whole words.

    A context cut in the middle of a word drops the partial word; a cut text gets an ellipsis on
    that side. Raises ValueError for a span outside the text or a negative context.
    """
    if not 0 <= start <= end <= len(text):
        raise ValueError(f"The span {start}-{end} is not inside the text ({len(text)} characters).")
    if context < 0:
        raise ValueError(f"The context must not be negative (got {context}).")

    lo = max(start - context, 0)
    if lo > 0 and not text[lo - 1].isspace() and not text[lo].isspace():
        # Cut inside a word: skip to the next whitespace, unless the word runs up to the quote.
        space = _first_space(text, lo, start)
        if space is not None:
            lo = space
    while lo < start and text[lo].isspace():
        lo += 1

    hi = min(end + context, len(text))
    if hi < len(text) and not text[hi - 1].isspace() and not text[hi].isspace():
        space = _last_space(text, end, hi)
        if space is not None:
            hi = space
    while hi > end and text[hi - 1].isspace():
        hi -= 1

    clipped_before = lo > 0 and bool(text[:lo].strip())
    clipped_after = hi < len(text) and bool(text[hi:].strip())
    return Passage(
        before=(ELLIPSIS if clipped_before else "") + text[lo:start],
        quote=text[start:end],
        after=text[end:hi] + (ELLIPSIS if clipped_after else ""),
        start_offset=lo,
        end_offset=hi,
        clipped_before=clipped_before,
        clipped_after=clipped_after,
    )


def _first_space(text: str, lo: int, hi: int) -> int | None:
    for index in range(lo, hi):
        if text[index].isspace():
            return index
    return None


def _last_space(text: str, lo: int, hi: int) -> int | None:
    for index in range(hi - 1, lo - 1, -1):
        if text[index].isspace():
            return index + 1
    return None

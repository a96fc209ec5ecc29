"""Extraction time grows linearly with the input, whatever its shape (issue 11.7).

Each pathological shape of ``benchmarks/extraction_pathological.py`` is extracted at one size and at
four times that size: linear work takes about four times as long, quadratic work sixteen. The bound
(eight, plus a little for timer noise on tiny inputs) is generous so that a loaded machine does not
fail it, and still catches a quadratic stage (a section scan per block made "many-short-sections"
take 13 times as long at 4x). CPU time of this process, best of two, so other processes matter less.
"""

import time
from pathlib import Path

import pytest

from benchmarks.extraction_pathological import shapes
from corpus_import.extract import extract_document
from corpus_import.records import DocumentMeta

SIZE = 30_000
RATIO_BOUND = 8.0
SLACK_SECONDS = 0.05

CASES = [
    *((name, "strategy") for name in shapes(100)),
    ("unbalanced-quotes", "news_article"),
    ("one-paragraph-of-sentences", "news_article"),
]


def _seconds(name: str, kind: str, size: int) -> float:
    text = shapes(size)[name]
    meta = DocumentMeta(Path(f"{name}.txt"), name, "BENCH", name, kind, publisher="Benchmark Institute")
    best = float("inf")
    for _ in range(2):
        started = time.process_time()
        extract_document(meta, text)
        best = min(best, time.process_time() - started)
    return best


@pytest.mark.slow
@pytest.mark.parametrize(("name", "kind"), CASES, ids=[f"{name}-{kind}" for name, kind in CASES])
def test_extraction_time_grows_linearly(name, kind):
    _seconds(name, kind, 1_000)  # vocabularies compiled, caches warm
    small = _seconds(name, kind, SIZE)
    large = _seconds(name, kind, 4 * SIZE)
    assert large < RATIO_BOUND * small + SLACK_SECONDS, f"{name}: {small:.3f} s -> {large:.3f} s at 4x the size"


def test_sections_are_found_in_linear_time():
    """find_sections alone, on headings only (a scan of the later headings for each was quadratic)."""
    from corpus_import.segment import find_sections

    def seconds(count: int) -> float:
        text = "".join(f"{i // 99 % 99 + 1}.{i % 99 + 1} Part\n" for i in range(count))
        best = float("inf")
        for _ in range(3):
            started = time.process_time()
            sections = find_sections(text)
            best = min(best, time.process_time() - started)
        assert len(sections) == count
        return best

    seconds(1_000)  # warm: the first call paid for the patterns (a loaded machine failed 6,000 vs 24,000 once)
    small, large = seconds(20_000), seconds(80_000)
    assert large < RATIO_BOUND * small + SLACK_SECONDS, f"{small:.3f} s -> {large:.3f} s at 4x the headings"

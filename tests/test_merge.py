import time

from corpus_import.merge import Candidate, merge_twins
from corpus_import.records import SectionRecord

ES = SectionRecord("ES", "Executive summary", 0, 100, None)
FIVE = SectionRecord("5", "Conclusions", 100, 10**9, None)


def _candidate(start: int, end: int, section) -> Candidate:
    return Candidate(start, end, "recommendation", "should", (), (), (), section, True, "t", {})


def test_twins_in_two_sections_merge_with_both_citations():
    text = (
        "Countries in the area must conclude free trade agreements.\n"
        "Countries in the area must conclude free trade agreements now."
    )
    second = text.index("\n") + 1
    merged = merge_twins(text, [_candidate(0, second - 1, ES), _candidate(second, len(text), FIVE)])
    assert len(merged) == 1
    assert merged[0].extra_citations == [(second, len(text), "5")]
    assert merged[0].explanation["merged"][0]["section"] == "5"


def test_same_section_never_merges():
    text = "States must act now.\nStates must act now."
    assert len(merge_twins(text, [_candidate(0, 20, ES), _candidate(21, 41, ES)])) == 2


def test_many_candidates_sharing_first_words_stay_linear():
    line = "Countries of the region should open post {}.\n"
    text = "".join(line.format(i) for i in range(20_000))
    candidates, start = [], 0
    for i in range(20_000):
        end = start + len(line.format(i)) - 1
        candidates.append(_candidate(start, end, ES if i % 2 else FIVE))
        start = end + 1
    started = time.perf_counter()
    merge_twins(text, candidates)
    assert time.perf_counter() - started < 5

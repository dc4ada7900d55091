"""A long stream through extract_many keeps the vocabulary and memory flat (nlp.memory_zone per batch).

No timing is asserted: only the StringStore size, resident memory and the outputs.
"""

from __future__ import annotations

import gc
import os
import resource

import lawie
from lawie.api import _memory_zone


def generated(start: int, count: int) -> list[str]:
    """``count`` short reports, each with numbers (and a name) no other one has."""
    return [
        f"第{i}号:青林县第{i}街道办事处{2000 + i % 30}年办理行政复议案件{i * 7 + 3}件,"
        f"同比增长{i % 97}.{i % 89}%,投入资金{i * 13 + 1}万元,编号X{i}Q。"
        for i in range(start, start + count)
    ]


def rss_mb() -> float:
    """Resident memory of this process now (not the peak), in MB."""
    try:
        with open("/proc/self/statm") as f:
            pages = int(f.read().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:  # not Linux: the peak is the best there is
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def test_stream_keeps_strings_and_memory_flat():
    nlp = lawie.load()  # its own pipeline: the StringStore count is not shared with other tests
    for _ in lawie.extract_many(generated(0, 300), nlp=nlp):  # warm-up: caches, allocator pools
        pass
    gc.collect()
    strings, rss = len(nlp.vocab.strings), rss_mb()
    entities = 0
    for report in lawie.extract_many(generated(1_000_000, 3_000), nlp=nlp):
        entities += len(report.entities)
    gc.collect()
    assert entities >= 3 * 3_000  # the stream did go through the pipeline
    # Without the zone every text adds its new numbers and names: ~10 strings each.
    assert len(nlp.vocab.strings) - strings < 50, (strings, len(nlp.vocab.strings))
    assert not nlp.vocab.in_memory_zone
    assert rss_mb() - rss < 5, (rss, rss_mb())


def test_outputs_identical_inside_and_outside_the_zone(seed_texts):
    nlp = lawie.load()
    texts = generated(5_000_000, 40) + list(seed_texts.values())
    # First inside zones (a fresh pipeline: every new string is transient), read after the zones ended.
    zoned = [r.to_dict() for r in lawie.extract_many(texts, nlp=nlp, batch_size=8)]
    with _memory_zone(nlp):
        in_one_zone = [lawie.extract(t, nlp=nlp) for t in texts]
    # Then outside any zone, on the same pipeline (its strings now permanent), and again in zones.
    plain = [lawie.extract(t, nlp=nlp).to_dict() for t in texts]
    again = [r.to_dict() for r in lawie.extract_many(texts, nlp=nlp, batch_size=3)]
    assert zoned == plain == again
    assert [r.to_dict() for r in in_one_zone] == plain
    assert all(r.text == t for r, t in zip(in_one_zone, texts))


def test_extract_many_inside_a_callers_zone(nlp):
    """A caller's own zone is kept (zones must not nest): the batches run inside it."""
    texts = generated(9_000_000, 5)
    with nlp.memory_zone():
        reports = list(lawie.extract_many(texts, nlp=nlp, batch_size=2))
        assert nlp.vocab.in_memory_zone
    assert [r.to_dict() for r in reports] == [lawie.extract(t, nlp=nlp).to_dict() for t in texts]

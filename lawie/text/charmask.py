"""Character ranges: those already claimed by an entity (for overlap checks), and unions of ranges."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


class CharMask:
    """Character ranges already claimed, for overlap checks: one byte per character of the text."""

    def __init__(self, size: int, spans: Iterable[tuple[int, int, Any]] = ()) -> None:
        self.mask = bytearray(size)
        for s, e, *_ in spans:
            self.add(s, e)

    def add(self, s: int, e: int) -> None:
        self.mask[s:e] = b"\x01" * (e - s)

    def overlaps(self, s: int, e: int) -> bool:
        return self.mask.find(1, s, e) != -1


def merge_ranges(ranges: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """The union of ``[start, end)`` ranges, as sorted ranges that neither overlap nor touch."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged

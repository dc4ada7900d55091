"""Character ranges already claimed by an entity, for overlap checks."""

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

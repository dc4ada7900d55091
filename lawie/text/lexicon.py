"""Helpers that turn lexicon word lists into regular expressions (shared by every rule component)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable


def alternation(words: Iterable[str], escape: Callable[[str], str] = re.escape) -> str:
    """A regex alternation of ``words``, longest first (so the longest word wins at a position)."""
    return "|".join(escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))

"""Clean raw web text for the model while keeping a map back to the raw text.

What the cleaning does, in order:

1. one-for-one character folds (``str.translate``): traditional → simplified
   (OpenCC's ``t2s`` character table), full-width ASCII and ``％`` → half-width,
   exotic spaces (every ``Zs`` character and tab) → ``" "``, line boundaries
   (``\\r``, VT, FF, FS, GS, RS, NEL ``U+0085``, ``U+2028``, ``U+2029``) → ``\\n``,
   lone surrogates → ``U+FFFD``;
2. markup: an HTML tag becomes a line end (block tags such as ``<p>``, ``<br>``,
   ``<div>``) or nothing (inline tags such as ``<b>``), an HTML character
   reference (``&nbsp;``, ``&lt;``, ``&#20013;``) the character it stands for;
   the clean character keeps the whole tag or reference as its raw span, so
   markup is never part of an entity and offsets stay raw;
3. removals: pinyin glosses after a Chinese character (``陽(yáng)`` → ``阳``),
   zero-width, BOM, bidi and control characters (the rest of ``Cc``, C1
   included), whitespace at line ends, a single
   space between two Chinese characters (``索 引 號`` → ``索引号``), runs of
   blank lines; any other whitespace run becomes one space. So the clean
   text holds no whitespace but single spaces and single line ends, and no
   ``\\s*`` in a later pattern can meet a long run of whitespace (a run of
   ``U+0085``, which Python's ``\\s`` matches, made the metadata patterns
   quadratic).

Every clean character keeps the raw ``[start, end)`` it came from; a removed
gloss belongs to the character before it, so an entity that ends in a glossed
character ends after its gloss in the raw text. Conversion is character by
character, so cleaning a slice of the raw text gives the slice of the clean
text (the property the tests check).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

# A pinyin syllable in parentheses right after a CJK character: (yáng), (qū), (de).
_PINYIN = "a-zāáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜńňǹḿ"
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_REMOVALS = re.compile(
    rf"(?P<gloss>(?<=[{_CJK}])\((?=[{_PINYIN}]{{0,6}}[aeiouvüāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ])[{_PINYIN}]{{1,7}}\))"
    r"|(?P<invisible>[\x00-\x08\x0e-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]+)"
    r"|(?P<newlines>\n(?:[ \t\x00]*\n)+)"
    r"|(?P<space>[ \t]+)"
)


_CJK_CHAR = re.compile(f"[{_CJK}]")

# HTML markup: tags (bounded, so junk full of "<" stays linear), comments and
# character references.
_MARKUP = re.compile(
    r"<(?:/?(?P<tag>[A-Za-z][A-Za-z0-9]{0,15})(?:[\s/][^<>]{0,1000})?|!--(?:[^-]|-(?!->)){0,300}--|![A-Za-z][^<>]{0,300})>"
    r"|(?P<ref>&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});)"
)
_BLOCK_TAGS = frozenset(
    "address article aside blockquote body br dd div dl dt footer form h1 h2 h3 h4 h5 h6 head header hr "
    "html li main nav ol p pre section table tbody thead tfoot title tr ul".split()
)
_GONE = "\x00"  # stands for a removed markup character (NUL is removed as invisible)


def _markup(folded: str) -> tuple[str, list[tuple[int, int]]]:
    """``folded`` with markup replaced one-for-one, and the ``[start, end)`` of each replaced unit."""
    if "<" not in folded and "&" not in folded:
        return folded, []
    spans: list[tuple[int, int]] = []

    def replace(m: re.Match) -> str:
        if m.group("ref"):
            char = html.unescape(m.group("ref"))
            if len(char) != 1:
                return m.group(0)  # not a reference after all: leave the text alone
            first = char.translate(_table())
        else:
            tag = m.group("tag")
            first = "\n" if tag and tag.lower() in _BLOCK_TAGS else _GONE
        spans.append(m.span())
        return first + _GONE * (m.end() - m.start() - 1)

    return _MARKUP.sub(replace, folded), spans


@lru_cache(maxsize=1)
def _table() -> dict[int, int]:
    """The one-for-one character table; built once per process from OpenCC."""
    import opencc

    t2s = opencc.OpenCC("t2s")
    table: dict[int, int] = {}
    # Traditional characters live in the CJK blocks; convert them one by one so
    # the mapping is local (no phrase context) and length-preserving.
    ranges = [(0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00)]
    chars = "".join(chr(c) for lo, hi in ranges for c in range(lo, hi))
    converted = t2s.convert("\n".join(chars)).split("\n")
    for src, dst in zip(chars, converted):
        if len(dst) == 1 and dst != src:
            table[ord(src)] = ord(dst)
    for c in range(0xFF01, 0xFF5F):  # full-width ASCII
        table[c] = c - 0xFEE0
    for c in (0x00A0, 0x1680, 0x202F, 0x205F, 0x3000, *range(0x2000, 0x200B)):
        table[c] = 0x20
    table[0x09] = 0x20
    # Line boundaries (those of str.splitlines): \r, VT, FF, FS, GS, RS, NEL, LS, PS.
    for c in (0x0B, 0x0C, 0x0D, 0x1C, 0x1D, 0x1E, 0x85, 0x2028, 0x2029):
        table[c] = 0x0A
    table[0xFE6A] = 0x25  # small percent sign
    for c in range(0xD800, 0xE000):  # lone surrogates cannot be encoded
        table[c] = 0xFFFD
    return table


def _fold(text: str) -> str:
    return text.translate(_table())


@dataclass(frozen=True)
class Alignment:
    """Clean text and, for each clean character, its ``[start, end)`` in the raw text.

    The one map between the caller's raw text and the clean text the pipeline reads:
    every raw↔clean conversion in lawie goes through it.
    """

    raw: str
    text: str
    offsets: np.ndarray  # shape (len(text), 2); int32 (int64 for texts of 2**31 characters or more)

    def to_raw(self, start: int, end: int) -> tuple[int, int]:
        """Map a clean ``[start, end)`` span to raw offsets."""
        if start >= end:
            pos = int(self.offsets[start, 0]) if start < len(self.text) else len(self.raw)
            return pos, pos
        return int(self.offsets[start, 0]), int(self.offsets[end - 1, 1])

    def to_clean(self, start: int, end: int) -> tuple[int, int]:
        """Map a raw ``[start, end)`` span to the clean characters it covers (empty when none)."""
        starts, ends = self._columns()
        cs = int(np.searchsorted(starts, start, "left"))
        ce = int(np.searchsorted(ends, end, "right"))
        return cs, max(cs, ce)

    def _columns(self) -> tuple[np.ndarray, np.ndarray]:
        # Contiguous copies, made once: searchsorted on a strided int32 column copies it on every call.
        columns = self.__dict__.get("_cols")
        if columns is None:
            columns = (np.ascontiguousarray(self.offsets[:, 0], dtype=np.int64), np.ascontiguousarray(self.offsets[:, 1], dtype=np.int64))
            object.__setattr__(self, "_cols", columns)
        return columns


def clean_text(raw: str) -> Alignment:
    """Clean ``raw``: the clean text with its alignment to the raw text."""
    folded, markup_spans = _markup(_fold(raw))
    n = len(folded)
    keep = np.ones(n, dtype=bool)
    gloss_spans: list[tuple[int, int]] = []
    for m in _REMOVALS.finditer(folded):
        s, e = m.span()
        kind = m.lastgroup
        if kind == "space":
            before = folded[s - 1] if s > 0 else "\n"
            after = folded[e] if e < n else "\n"
            letter_spacing = e - s == 1 and _CJK_CHAR.match(before) and _CJK_CHAR.match(after)
            if before == "\n" or after == "\n" or letter_spacing:
                keep[s:e] = False
            else:
                keep[s + 1 : e] = False
        elif kind == "newlines":
            keep[s + 1 : e] = False
        else:
            keep[s:e] = False
            if kind == "gloss":
                gloss_spans.append((s, e))
    if n and folded[0] == "\n":
        keep[0] = False
    starts = np.flatnonzero(keep)
    # int32 halves the alignment's memory (8 bytes per clean character).
    offsets = np.empty((len(starts), 2), dtype=np.int32 if n < 2**31 else np.int64)
    offsets[:, 0] = starts
    offsets[:, 1] = starts + 1
    if gloss_spans:
        clean_index = np.cumsum(keep) - 1
        for s, e in gloss_spans:
            i = clean_index[s - 1]
            if i >= 0 and keep[s - 1]:
                offsets[i, 1] = e
    if markup_spans:
        # A character that stands for a tag or reference spans all of it in the raw text.
        clean_index = np.cumsum(keep) - 1
        for s, e in markup_spans:
            if keep[s]:
                offsets[clean_index[s], 1] = e
    if len(starts) == n:
        text = folded
    else:
        codes = np.frombuffer(folded.encode("utf-32-le"), dtype=np.uint32)
        text = codes[keep].tobytes().decode("utf-32-le")
    return Alignment(raw=raw, text=text, offsets=offsets)




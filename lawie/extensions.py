"""Custom attributes lawie sets on spaCy objects, declared in one place.

``Doc._.raw_text``    the caller's raw text (``doc.text`` is the clean text)
``Doc._.raw_offsets`` int array (len(doc.text), 2): raw [start, end) of each clean character
``Doc._.meta``        report metadata (title, issuer, year, …), a dict
``Span._.raw_start``, ``Span._.raw_end``  the span's offsets into the raw text
``Span._.normalized`` the span's normalised value (see LABELS.md), a dict
"""

from __future__ import annotations

from spacy.tokens import Doc, Span

from .errors import Errors


def _raw_bounds(span: Span) -> tuple[int, int]:
    offsets = span.doc._.raw_offsets
    if offsets is None:
        raise ValueError(Errors.E010)
    if span.start_char == span.end_char:
        pos = int(offsets[span.start_char, 0]) if span.start_char < len(offsets) else len(span.doc._.raw_text)
        return pos, pos
    return int(offsets[span.start_char, 0]), int(offsets[span.end_char - 1, 1])


def register() -> None:
    """Declare lawie's extensions; safe to call any number of times."""
    for name in ("raw_text", "raw_offsets", "meta"):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)
    if not Span.has_extension("raw_start"):
        Span.set_extension("raw_start", getter=lambda span: _raw_bounds(span)[0])
    if not Span.has_extension("raw_end"):
        Span.set_extension("raw_end", getter=lambda span: _raw_bounds(span)[1])
    if not Span.has_extension("normalized"):
        Span.set_extension("normalized", default=None)


register()

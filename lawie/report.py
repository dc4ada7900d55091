"""What :func:`lawie.extract` returns: entities, sections and metadata, with raw offsets."""

from __future__ import annotations

import sys
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any

from spacy.tokens import Doc

from .pipeline.sections import SPANS_KEY


@dataclass(frozen=True, slots=True)
class Entity:
    """An entity: ``raw[start:end]`` in the caller's text, its clean ``text`` and normalised value."""

    start: int
    end: int
    label: str
    text: str
    normalized: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "label": self.label,
            "text": self.text,
            "normalized": dict(self.normalized),
        }


@dataclass(frozen=True, slots=True)
class Section:
    """A typed segment ``raw[start:end]``; a report's sections cover its text without gaps."""

    start: int
    end: int
    label: str

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "label": self.label}


@dataclass
class Report:
    """The structured content of one report.

    ``text`` is the raw text as given; every offset points into it.
    """

    text: str
    entities: list[Entity]
    sections: list[Section]
    meta: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable dict: ``{"entities": […], "sections": […], "meta": {…}}``."""
        return {
            "entities": [e.to_dict() for e in self.entities],
            "sections": [s.to_dict() for s in self.sections],
            "meta": dict(self.meta),
        }

    def indicators(self) -> list[dict[str, Any]]:
        """The report's figures (COUNT, RATE, MONEY) as plain dicts, one per indicator.

        Columns: ``lawie.outputs.indicators.INDICATOR_COLUMNS`` (section type, what is
        measured, value, unit, approx, change, raw offsets, sentence …).
        """
        from .outputs.indicators import indicator_rows

        return indicator_rows(self)

    def section_at(self, offset: int) -> Section | None:
        """The section that holds raw ``offset``.

        A binary search over the section starts (kept while ``sections`` is the
        same list of the same length), so a report with thousands of sections
        and entities costs (entities × log sections), not their product.
        """
        sections = self.sections
        cache = self.__dict__.get("_section_starts")
        if cache is None or cache[0] is not sections or cache[1] != len(sections):
            cache = (sections, len(sections), [s.start for s in sections])
            self.__dict__["_section_starts"] = cache
        i = bisect_right(cache[2], offset) - 1
        if 0 <= i < len(sections) and sections[i].start <= offset < sections[i].end:
            return sections[i]
        for section in sections:  # sections edited in place, or not in order
            if section.start <= offset < section.end:
                return section
        return None

    def _repr_html_(self) -> str:
        """Notebook view: the text with entities highlighted, section bands, indicator table, legend."""
        from .outputs.render import render_report

        return render_report(self)

    @classmethod
    def from_doc(cls, doc: Doc) -> "Report":
        """Build a report from a Doc made by lawie's pipeline."""
        raw = doc._.raw_text if doc._.raw_text is not None else doc.text
        entities = doc_entities(doc)
        segments = [(s.start_char, s.end_char, s.label_) for s in doc.spans.get(SPANS_KEY, [])]
        sections = raw_sections(raw, segments, doc._.raw_offsets)
        return cls(text=raw, entities=entities, sections=sections, meta=dict(doc._.meta or {}))


def doc_entities(doc: Doc, offset: int = 0) -> list[Entity]:
    """The entities of a Doc made by lawie's pipeline, with raw offsets shifted by ``offset``.

    Short strings of the values (units, subjects, labels …) are interned: a
    text of a million figures repeats them, and one copy each keeps memory
    a few hundred bytes per entity.
    """
    return [
        make_entity(ent._.raw_start + offset, ent._.raw_end + offset, ent.label_, ent.text, ent._.normalized)
        for ent in doc.ents
    ]


def make_entity(start: int, end: int, label: str, text: str, normalized: dict[str, Any] | None) -> Entity:
    """An :class:`Entity` whose short strings (text, units, subjects …) are interned: a text of a
    million figures repeats them, and one copy each keeps memory a few hundred bytes per entity."""
    value = dict(normalized or {})
    for key, item in value.items():
        if type(item) is str and len(item) <= 32:
            value[key] = sys.intern(item)
    return Entity(start=start, end=end, label=label, text=sys.intern(text) if len(text) <= 8 else text, normalized=value)


def raw_sections(raw: str, segments: list[tuple[int, int, str]], offsets) -> list[Section]:
    """Map clean-text segments to raw sections that cover ``raw`` contiguously.

    The first section starts at 0 and the last ends at ``len(raw)``, so text
    that cleaning dropped (leading blanks, trailing glosses) is never lost.
    """
    if not raw.strip():
        return []
    if not segments:
        return [Section(0, len(raw), "HEADER")]
    starts = [0] + [int(offsets[s, 0]) for s, _, _ in segments[1:]]
    ends = starts[1:] + [len(raw)]
    return [Section(s, e, label) for s, e, (_, _, label) in zip(starts, ends, segments) if e > s]

"""The public API: :func:`load`, :func:`extract` and :func:`extract_many`."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache
from itertools import groupby
from pathlib import Path

import numpy as np
import spacy
from spacy.language import Language
from spacy.tokens import Doc

from .decoding import decode
from .errors import Errors
from .report import Entity, Report, raw_sections
from .sections import SectionTagger

PIPELINE_DIR = Path(__file__).parent / "model"
# Longer texts are cut into pieces of at most this many characters, at line
# (or sentence) ends, so memory stays bounded; offsets are put back together.
PIECE_CHARS = 100_000
SECTIONS_PIPE = "lawie_sections"


def load(path: str | Path | None = None, **kwargs) -> Language:
    """Load a lawie pipeline: the one shipped with the package, or one saved at ``path``.

    Keyword arguments go to :func:`spacy.load` (e.g. ``exclude=["ner"]``).
    """
    target = Path(path) if path is not None else PIPELINE_DIR
    if not (target / "config.cfg").exists():
        raise OSError(Errors.E003.format(path=target))
    return spacy.load(target, **kwargs)


@lru_cache(maxsize=1)
def _default_nlp() -> Language:
    return load()


def _as_text(text: str | bytes) -> str:
    if isinstance(text, str):
        return text
    if isinstance(text, (bytes, bytearray, memoryview)):
        return decode(bytes(text))
    raise TypeError(Errors.E001.format(type=type(text).__name__))


def _pieces(text: str, size: int = PIECE_CHARS) -> list[tuple[int, str]]:
    """Cut ``text`` into ``(offset, piece)`` of at most ``size`` characters, preferring line ends."""
    if len(text) <= size:
        return [(0, text)]
    out, pos = [], 0
    while pos < len(text):
        end = min(pos + size, len(text))
        if end < len(text):
            window = text[pos:end]
            cut = max(window.rfind("\n"), window.rfind("。"))
            if cut > size // 2:
                end = pos + cut + 1
        out.append((pos, text[pos:end]))
        pos = end
    return out


def _merge(raw: str, pieces: list[tuple[int, Doc]], nlp: Language) -> Report:
    """One report from the docs of a text's pieces."""
    if len(pieces) == 1 and pieces[0][0] == 0:
        return Report.from_doc(pieces[0][1])
    entities: list[Entity] = []
    for offset, doc in pieces:
        for e in Report.from_doc(doc).entities:
            entities.append(Entity(e.start + offset, e.end + offset, e.label, e.text, e.normalized))
    # Sections are cut over the whole clean text, so headings are seen in order.
    clean = "".join(doc.text for _, doc in pieces)
    offsets = np.concatenate([doc._.raw_offsets + offset for offset, doc in pieces]) if clean else None
    tagger: SectionTagger = nlp.get_pipe(SECTIONS_PIPE) if SECTIONS_PIPE in nlp.pipe_names else SectionTagger(nlp)
    sections = raw_sections(raw, tagger.segment(clean), offsets)
    meta = dict(pieces[0][1]._.meta or {})
    return Report(text=raw, entities=entities, sections=sections, meta=meta)


def extract(text: str | bytes, *, nlp: Language | None = None) -> Report:
    """Extract entities, sections and metadata from one report.

    ``text`` is the raw report (``bytes`` are decoded as UTF-8, UTF-8 with BOM,
    UTF-16 with BOM or GB18030). All offsets in the result point into it.
    """
    raw = _as_text(text)
    nlp = nlp or _default_nlp()
    pieces = _pieces(raw)
    docs = nlp.pipe([p for _, p in pieces]) if len(pieces) > 1 else [nlp(raw)]
    return _merge(raw, [(offset, doc) for (offset, _), doc in zip(pieces, docs)], nlp)


def extract_many(
    texts: Iterable[str | bytes],
    *,
    nlp: Language | None = None,
    batch_size: int = 16,
    n_process: int = 1,
) -> Iterator[Report]:
    """Extract reports from many texts, streaming, in input order.

    ``n_process`` > 1 runs the pipeline in that many worker processes
    (spaCy's multiprocessing); memory stays constant in the number of texts.
    """
    if not isinstance(batch_size, int) or batch_size < 1:
        raise ValueError(Errors.E005.format(name="batch_size", expected="a positive int", value=batch_size))
    if not isinstance(n_process, int) or n_process < 1:
        raise ValueError(Errors.E005.format(name="n_process", expected="a positive int", value=n_process))
    if isinstance(texts, (str, bytes)):
        raise TypeError(Errors.E005.format(name="texts", expected="an iterable of texts, not one text", value=texts[:20]))
    nlp = nlp or _default_nlp()
    raws: dict[int, str] = {}

    def tasks() -> Iterator[tuple[str, tuple[int, int]]]:
        for i, text in enumerate(texts):
            raw = _as_text(text)
            raws[i] = raw
            for offset, piece in _pieces(raw):
                yield piece, (i, offset)

    stream = nlp.pipe(tasks(), as_tuples=True, batch_size=batch_size, n_process=n_process)
    for i, group in groupby(stream, key=lambda item: item[1][0]):
        pieces = [(offset, doc) for doc, (_, offset) in group]
        yield _merge(raws.pop(i), pieces, nlp)


__all__ = ["load", "extract", "extract_many", "PIPELINE_DIR"]

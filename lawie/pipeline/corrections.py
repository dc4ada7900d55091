"""Corrections that win: what annotators decided, compiled by ``lawie train`` into exact entries.

The statistical NER learns from the gold, but a handful of corrected spans may
not move it, and a rule can claim a span before it (``县人民政府`` inside the
corrected ``青林县人民政府``). So after training, ``lawie train`` runs the new
pipeline over every annotated document and compiles what it still gets wrong
into two lists this component applies after ``lawie_entities``:

- ``add``: names (ORG, LAW) that the gold labels (``青林县人民政府`` → ORG) and the
  pipeline missed — wherever the string occurs, it becomes that entity,
  replacing what overlaps it;
- ``drop``: names the pipeline labels that the gold never labels
  (``法治工作重要会`` as ORG), with the character that followed them — where
  the pipeline labels exactly that string before that character (the same
  construction: ``人社部`` before ``门`` is part of ``人社部门``), the entity is removed.

An entry is compiled only where the gold is consistent: a string labelled at
some occurrences and left unlabelled at others is left to the models, and so
are counts, whose reading depends on the sentence. The component therefore
changes the output on a correction's own text and on the same construction
elsewhere, and nowhere else.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import srsly
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import filter_spans

from ..errors import Errors
from ..text.charmask import CharMask
from ..text.cleaning import clean_text
from .extensions import doc_text

FILE = "corrections.json"
NAME_LABELS = ("ORG", "LAW")  # what corrections may add or drop: names, not counts


class CorrectionRules:
    """Apply the compiled corrections (``{"add": [[text, label]…], "drop": [[text, label]…]}``)."""

    def __init__(self, nlp: Language | None, name: str = "lawie_corrections") -> None:
        self.name = name
        self.initialize()

    def initialize(self, get_examples=None, *, nlp: Language | None = None, entries: dict[str, Any] | None = None) -> None:
        """Set the entries (``lawie train`` compiles them); none: the component changes nothing."""
        entries = entries or {}
        self.entries = {"add": [list(e) for e in entries.get("add", [])], "drop": [list(e) for e in entries.get("drop", [])]}
        self._add = sorted(((t, lab) for t, lab in self.entries["add"]), key=lambda e: -len(e[0]))
        self._drop = {(t, lab): after for t, lab, after in self.entries["drop"]}

    def find(self, text: str) -> list[tuple[int, int, str]]:
        """Every occurrence of an ``add`` entry in ``text``, longest first, none overlapping."""
        taken = CharMask(len(text))
        found = []
        for entry, label in self._add:
            start = text.find(entry)
            while start != -1:
                end = start + len(entry)
                if not taken.overlaps(start, end):
                    found.append((start, end, label))
                    taken.add(start, end)
                start = text.find(entry, start + 1)
        return sorted(found)

    def __call__(self, doc: Doc) -> Doc:
        if not (self._add or self._drop):
            return doc
        text = doc_text(doc)
        ents = [e for e in doc.ents if not self._dropped(text, e.text, e.label_, e.end_char)]
        added = [doc.char_span(s, e, label=label, alignment_mode="contract") for s, e, label in self.find(text)]
        added = [span for span in added if span is not None and len(span)]
        if added:
            mask = CharMask(len(text), ((a.start_char, a.end_char) for a in added))
            ents = [e for e in ents if not mask.overlaps(e.start_char, e.end_char)] + added
        doc.ents = filter_spans(ents)
        return doc

    def _dropped(self, text: str, surface: str, label: str, end: int) -> bool:
        after = self._drop.get((surface, label))
        return after is not None and text[end : end + len(after)] == after

    def pipe(self, stream: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        for doc in stream:
            yield self(doc)

    def to_disk(self, path, *, exclude=tuple()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        srsly.write_json(path / FILE, self.entries)

    def from_disk(self, path, *, exclude=tuple()) -> "CorrectionRules":
        file = Path(path) / FILE
        if not file.is_file():
            raise OSError(Errors.E018.format(path=file, component=self.name))
        self.initialize(entries=srsly.read_json(file))
        return self

    def to_bytes(self, *, exclude=tuple()) -> bytes:
        return srsly.msgpack_dumps(self.entries)

    def from_bytes(self, data: bytes, *, exclude=tuple()) -> "CorrectionRules":
        self.initialize(entries=srsly.msgpack_loads(data))
        return self


def compile_corrections(
    records: Iterable[dict[str, Any]], predict: Any, *, min_share: float = 1.0
) -> dict[str, list[list[str]]]:
    """The entries that make a pipeline's output agree with ``records`` (gold).

    ``predict(text)`` returns the pipeline's ``(start, end, label)`` spans on a
    raw text; entries are clean strings (what the component sees). A missed gold string is added, and a wrongly labelled string
    dropped, only if the gold treats it the same way wherever it occurs in the
    annotated texts (``min_share`` of its occurrences).
    """
    labelled: dict[tuple[str, str], int] = {}
    missed: set[tuple[str, str]] = set()
    wrong: dict[tuple[str, str], set[str]] = {}  # surface, label -> the characters that followed it
    texts = []
    for record in records:
        aligned = clean_text(record["text"])
        texts.append(aligned.text)

        def surface(span: tuple[int, int, str]) -> tuple[str, str]:
            start, end = aligned.to_clean(span[0], span[1])
            return aligned.text[start:end], span[2]

        gold = {(s["start"], s["end"], s["label"]) for s in record["spans"]}
        for span in gold:
            labelled[surface(span)] = labelled.get(surface(span), 0) + 1
        pred = set(predict(record["text"]))
        missed |= {surface(span) for span in gold - pred if span[2] in NAME_LABELS}
        for span in pred - gold:
            if span[2] in NAME_LABELS:
                end = aligned.to_clean(span[0], span[1])[1]
                wrong.setdefault(surface(span), set()).add(aligned.text[end : end + 1])

    def occurrences(surface: str) -> int:
        return sum(text.count(surface) for text in texts)

    add = sorted(
        [t, lab] for t, lab in missed if len(t) >= 3 and labelled[(t, lab)] >= min_share * occurrences(t) and (t, lab) not in wrong
    )
    # A wrong string is dropped before the character that always followed it (any character if they differed).
    drop = sorted([t, lab, next(iter(after)) if len(after) == 1 else ""] for (t, lab), after in wrong.items() if (t, lab) not in labelled)
    return {"add": add, "drop": drop}


@Language.factory("lawie_corrections", assigns=["doc.ents"], requires=["doc.ents"], default_config={})
def make_corrections(nlp: Language, name: str) -> CorrectionRules:
    return CorrectionRules(nlp, name)

"""Custom attributes lawie sets on spaCy objects, declared in one place.

``Doc._.alignment``   the :class:`~lawie.text.cleaning.Alignment` of the raw text and ``doc.text`` (set by the tokenizer)
``Doc._.raw_text``    the caller's raw text (``doc.text`` is the clean text), read from the alignment
``Doc._.raw_offsets`` int array (len(doc.text), 2): raw [start, end) of each clean character, read from the alignment
``Doc._.meta``        report metadata (title, issuer, year, …), a dict
``Span._.raw_start``, ``Span._.raw_end``  the span's offsets into the raw text
``Span._.normalized`` the span's normalised value (see docs/LABELS.md), a dict
"""

from __future__ import annotations

import srsly
from spacy.tokens import Doc, Span

from ..errors import Errors
from ..text.cleaning import Alignment


#: ``doc.spans`` keys lawie writes: the rule entities (kept from the NER), the ORG grammar's
#: proposals, the stretches of text where a name lawie keeps can stand (all the NER reads), and
#: the bodies the page names as its issuer or source (kept whatever the NER says).
RULES_KEY = "lawie_rules"
CANDIDATES_KEY = "org_candidates"
CONTEXTS_KEY = "org_contexts"
ISSUERS_KEY = "org_issuers"
#: ``Token.lemma_`` of the tokens of an ORG proposal (first, inside): a feature of the statistical NER.
PROPOSAL_B, PROPOSAL_I = "ORG_B", "ORG_I"


def _raw_bounds(span: Span) -> tuple[int, int]:
    alignment = span.doc._.alignment
    if alignment is None:
        raise ValueError(Errors.E010)
    return alignment.to_raw(span.start_char, span.end_char)


def _alignment_field(name: str):
    def get(doc: Doc):
        alignment = doc._.alignment
        return None if alignment is None else getattr(alignment, name)

    return get


def doc_text(doc: Doc) -> str:
    """The clean text of ``doc`` without rebuilding it from tokens (``doc.text`` does, on every call)."""
    alignment = doc._.alignment
    return doc.text if alignment is None else alignment.text


def _encode_alignment(obj, chain=None):
    """msgpack encoder: a Doc with ``Doc._.alignment`` survives ``Doc.to_bytes`` and ``nlp.pipe(n_process=2)``."""
    if isinstance(obj, Alignment):
        return {"__lawie_alignment__": True, "raw": obj.raw, "text": obj.text, "offsets": obj.offsets}
    return obj if chain is None else chain(obj)


def _decode_alignment(obj, chain=None):
    if isinstance(obj, dict) and obj.get("__lawie_alignment__"):
        return Alignment(raw=obj["raw"], text=obj["text"], offsets=obj["offsets"])
    return obj if chain is None else chain(obj)


def register() -> None:
    """Declare lawie's extensions; safe to call any number of times."""
    srsly.msgpack_encoders.register("lawie_alignment", func=_encode_alignment)
    srsly.msgpack_decoders.register("lawie_alignment", func=_decode_alignment)
    for name in ("alignment", "meta"):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)
    if not Doc.has_extension("raw_text"):
        Doc.set_extension("raw_text", getter=_alignment_field("raw"))
    if not Doc.has_extension("raw_offsets"):
        Doc.set_extension("raw_offsets", getter=_alignment_field("offsets"))
    if not Span.has_extension("raw_start"):
        Span.set_extension("raw_start", getter=lambda span: _raw_bounds(span)[0])
    if not Span.has_extension("raw_end"):
        Span.set_extension("raw_end", getter=lambda span: _raw_bounds(span)[1])
    if not Span.has_extension("normalized"):
        Span.set_extension("normalized", default=None)


register()

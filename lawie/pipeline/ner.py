"""The statistical NER, reading only the stretches where a name lawie keeps can stand.

``lawie_entities`` keeps an organisation the NER finds only if the ORG grammar
proposed it or it ends in a body word (局, 委员会 …). ``lawie_orgs`` marks the
stretches where such a name can stand (``doc.spans["org_contexts"]``); this
recogniser runs spaCy's NER on those stretches only, each with two tokens of
context on both sides (a fifth of the tokens of the real excerpts), and maps the
names back. Training is spaCy's, on whole documents. A Doc without the key, or
with entities already set, is read whole, as by spaCy's ``ner``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Callable

import numpy as np
from spacy.attrs import LEMMA, NORM
from spacy.language import Language
from spacy.pipeline.ner import DEFAULT_NER_MODEL, EntityRecognizer
from spacy.tokens import Doc, Span
from thinc.api import Model

from ..text.charmask import merge_ranges
from .extensions import CONTEXTS_KEY

#: Tokens of context on each side of a stretch: what the tok2vec sees around a token (window 2,
#: depth 1), so the tokens inside are encoded as in the whole document.
CONTEXT_TOKENS = 2
_COPIED = [LEMMA, NORM]  # token attributes the NER reads that are not the word's own


class _View:
    """The stretches of a Doc the NER reads, as one Doc, and the way back."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.index: np.ndarray | None = None  # token i of the view is token index[i] of doc
        if CONTEXTS_KEY not in doc.spans or doc.has_annotation("ENT_IOB"):
            return
        n = len(doc)
        bounds = merge_ranges(
            (max(span.start - CONTEXT_TOKENS, 0), min(span.end + CONTEXT_TOKENS, n)) for span in doc.spans[CONTEXTS_KEY]
        )
        index = np.concatenate([np.arange(s, e) for s, e in bounds]) if bounds else np.zeros(0, dtype=int)
        tokens = [doc[i] for i in index.tolist()]
        view = Doc(doc.vocab, words=[t.text for t in tokens], spaces=[bool(t.whitespace_) for t in tokens])
        if len(view):
            view.from_array(_COPIED, doc.to_array(_COPIED)[index])
        self.doc, self.index = view, index

    def copy_ents(self, doc: Doc) -> None:
        """Put the view's entities on ``doc`` (those that are one stretch of it)."""
        if self.index is None:
            return
        ents = []
        for ent in self.doc.ents:
            start, last = int(self.index[ent.start]), int(self.index[ent.end - 1])
            if last - start == len(ent) - 1:
                ents.append(Span(doc, start, last + 1, label=ent.label))
        doc.set_ents(ents, default="outside")


class ContextNER(EntityRecognizer):
    """spaCy's transition-based NER, predicting on ``doc.spans["org_contexts"]`` only."""

    def predict(self, docs: Iterable[Doc]) -> tuple[list[_View], Any]:
        views = [_View(doc) for doc in ([docs] if isinstance(docs, Doc) else docs)]
        return views, super().predict([view.doc for view in views])

    def set_annotations(self, docs: Iterable[Doc], predicted: tuple[list[_View], Any]) -> None:
        views, states = predicted
        super().set_annotations([view.doc for view in views], states)
        for doc, view in zip(docs, views):
            view.copy_ents(doc)


@Language.factory(
    "lawie_ner",
    assigns=["doc.ents", "token.ent_iob", "token.ent_type"],
    requires=["doc.spans"],
    default_config={
        "model": DEFAULT_NER_MODEL,
        "moves": None,
        "update_with_oracle_cut_size": 100,
        "incorrect_spans_key": None,
        "scorer": {"@scorers": "spacy.ner_scorer.v1"},
    },
    default_score_weights={"ents_f": 1.0, "ents_p": 0.0, "ents_r": 0.0, "ents_per_type": None},
)
def make_ner(
    nlp: Language,
    name: str,
    model: Model,
    moves: Any,
    update_with_oracle_cut_size: int,
    incorrect_spans_key: str | None,
    scorer: Callable | None,
) -> ContextNER:
    return ContextNER(
        nlp.vocab,
        model,
        name=name,
        moves=moves,
        update_with_oracle_cut_size=update_with_oracle_cut_size,
        incorrect_spans_key=incorrect_spans_key,
        scorer=scorer,
    )

"""The statistical NER (lawie_ner): it reads only doc.spans["org_contexts"] and finds what a whole reading finds."""

from __future__ import annotations

import pytest

from lawie.pipeline.extensions import CONTEXTS_KEY
from lawie.pipeline.ner import ContextNER, _View


def _up_to_ner(nlp, text):
    doc = nlp.make_doc(text)
    for name in ("lawie_entity_rules", "lawie_orgs"):
        doc = nlp.get_pipe(name)(doc)
    return doc


def _ents(doc):
    return [(e.start_char, e.end_char, e.label_) for e in doc.ents]


def test_shipped_ner_is_the_context_reader(nlp):
    assert isinstance(nlp.get_pipe("ner"), ContextNER)


def test_contexts_are_a_part_of_a_report(nlp, seed_texts):
    doc = _up_to_ner(nlp, next(iter(seed_texts.values())))
    view = _View(doc)
    assert 0 < len(view.doc) < 0.8 * len(doc)
    assert [t.text for t in view.doc[:3]] == [doc[int(i)].text for i in view.index[:3]]


def test_reading_the_contexts_finds_what_reading_the_whole_finds(nlp, seed_texts):
    """The names lawie keeps (after lawie_entities) are nearly the same: the view starts the
    NER's transitions afresh at each stretch, so a name near a stretch's start may differ
    (one of the seeds' 371 entities with the shipped model); what the NER finds outside the
    contexts is dropped anyway."""
    ner, merge = nlp.get_pipe("ner"), nlp.get_pipe("lawie_entities")
    differ = total = 0
    for name, text in seed_texts.items():
        in_contexts = merge(ner(_up_to_ner(nlp, text)))
        whole = _up_to_ner(nlp, text)
        del whole.spans[CONTEXTS_KEY]  # without the key the NER reads every token
        whole = merge(ner(whole))
        differ += len(set(_ents(in_contexts)) ^ set(_ents(whole)))
        total += len(whole.ents)
        assert any(e.label_ == "ORG" for e in whole.ents)
    assert differ <= total / 100


def test_proposal_tokens_keep_their_feature_in_the_view(nlp):
    doc = _up_to_ner(nlp, "今年,区司法局推进行政执法工作,成效明显。")
    view = _View(doc)
    assert [t.lemma_ for t in view.doc if t.lemma_] == ["ORG_B", "ORG_I", "ORG_I", "ORG_I"]


def test_a_doc_with_entities_set_is_read_whole_and_keeps_them(nlp):
    doc = _up_to_ner(nlp, "今年,区司法局推进行政执法工作,某某协调组参加。")
    doc.ents = [doc.char_span(0, 2, label="ORG")]  # a label the NER has: a new one would grow its actions
    assert _View(doc).index is None
    doc = nlp.get_pipe("ner")(doc)
    assert ("今年", "ORG") in [(e.text, e.label_) for e in doc.ents]


def test_a_doc_without_contexts_gets_no_entities_outside_them(nlp):
    doc = _up_to_ner(nlp, "依法行政,全面部署,加强法治政府建设。")
    assert len(doc.spans[CONTEXTS_KEY]) == 0
    assert _ents(nlp.get_pipe("ner")(doc)) == []


@pytest.mark.parametrize("n_process", [1, 2])
def test_pipe_matches_call(nlp, seed_texts, n_process):
    texts = list(seed_texts.values())[:2]
    assert [_ents(d) for d in nlp.pipe(texts, n_process=n_process)] == [_ents(nlp(t)) for t in texts]

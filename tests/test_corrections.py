"""Corrections that win (``lawie_corrections``): compiled from the gold, applied after the merger."""

from __future__ import annotations

import pytest

from lawie.pipeline.corrections import CorrectionRules, compile_corrections


def record(rid: str, text: str, spans: list[tuple[str, str]]) -> dict:
    out = []
    for surface, label in spans:
        start = text.index(surface)
        out.append({"start": start, "end": start + len(surface), "label": label})
    return {"id": rid, "text": text, "spans": out}


def pipeline_of(wrong: dict[str, list[tuple[str, str]]]):
    """A stand-in pipeline: for each text, the spans named (first occurrence of each surface)."""

    def predict(text: str):
        out = set()
        for surface, label in wrong.get(text, []):
            start = text.index(surface)
            out.add((start, start + len(surface), label))
        return out

    return predict


def test_missed_and_wrong_strings_are_compiled():
    a = record("a", "青林县人民政府召开法治工作重要会议。", [("青林县人民政府", "ORG")])
    b = record("b", "青林县人民政府审理案件。", [("青林县人民政府", "ORG")])
    predict = pipeline_of({a["text"]: [("县人民政府", "ORG"), ("法治工作重要会", "ORG")], b["text"]: [("县人民政府", "ORG")]})
    entries = compile_corrections([a, b], predict)
    # 县人民政府 was followed by 召 and 审: dropped before any character; 法治工作重要会 only before 议.
    assert entries == {"add": [["青林县人民政府", "ORG"]], "drop": [["县人民政府", "ORG", ""], ["法治工作重要会", "ORG", "议"]]}


def test_counts_are_left_to_the_rules():
    a = record("a", "审理案件62件。", [("62件", "COUNT")])
    assert compile_corrections([a], pipeline_of({})) == {"add": [], "drop": []}


def test_inconsistent_gold_is_left_to_the_models():
    # 市政府 is labelled in one text and not in the other: no entry either way.
    a = record("a", "市政府印发通知。", [("市政府", "ORG")])
    b = record("b", "市政府网站改版。", [])
    predict = pipeline_of({a["text"]: [], b["text"]: [("市政府", "ORG")]})
    assert compile_corrections([a, b], predict) == {"add": [], "drop": []}


def test_entries_are_clean_strings():
    a = record("a", "青林縣(xiàn)人民政府召開會議。", [("青林縣(xiàn)人民政府", "ORG")])
    entries = compile_corrections([a], pipeline_of({}))
    assert entries["add"] == [["青林县人民政府", "ORG"]]


@pytest.fixture()
def component(nlp):
    pipe = CorrectionRules(nlp)
    pipe.initialize(entries={"add": [["青林县人民政府", "ORG"]], "drop": [["法治工作重要会", "ORG", "议"], ["人社部", "ORG", "门"]]})
    return pipe


def test_entries_apply_wherever_the_string_occurs(nlp, component):
    doc = nlp.make_doc("青林县人民政府召开法治工作重要会议,青林县人民政府部署工作。")
    doc.ents = [doc.char_span(2, 7, label="ORG"), doc.char_span(9, 16, label="ORG")]
    doc = component(doc)
    assert [(e.text, e.label_) for e in doc.ents] == [("青林县人民政府", "ORG"), ("青林县人民政府", "ORG")]


def test_a_drop_holds_only_in_the_same_construction(nlp, component):
    doc = nlp.make_doc("人社部门和人社部")
    doc.ents = [doc.char_span(0, 3, label="ORG"), doc.char_span(5, 8, label="ORG")]
    assert [(e.start_char, e.text) for e in component(doc).ents] == [(5, "人社部")]


def test_no_entries_change_nothing(nlp):
    doc = nlp.make_doc("区政府审理案件。")
    doc.ents = [doc.char_span(0, 3, label="ORG")]
    assert [e.text for e in CorrectionRules(nlp)(doc).ents] == ["区政府"]


def test_entries_round_trip(component, tmp_path):
    component.to_disk(tmp_path)
    assert CorrectionRules(None).from_disk(tmp_path).entries == component.entries
    assert CorrectionRules(None).from_bytes(component.to_bytes()).entries == component.entries
    with pytest.raises(OSError, match="E018"):
        CorrectionRules(None).from_disk(tmp_path / "missing")

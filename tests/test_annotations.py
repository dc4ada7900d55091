"""The gold annotations and the annotation formats."""

from __future__ import annotations

import pytest

from conftest import ROOT
from lawie.train.annotations import (
    agreement,
    convert,
    from_labelstudio,
    section_labels,
    to_labelstudio,
    validate,
)


def test_every_gold_record_is_valid(gold):
    assert len(gold) == 5
    for record in gold:
        validate(record, require_sections=True)


def test_gold_text_is_the_seed_file(gold):
    for record in gold:
        assert record["text"] == (ROOT / "seeds" / f"{record['id']}.txt").read_text(encoding="utf-8")


def test_gold_spans_have_no_surrounding_space_and_no_overlap(gold):
    for record in gold:
        spans = sorted(record["spans"], key=lambda s: s["start"])
        for a, b in zip(spans, spans[1:]):
            assert a["end"] <= b["start"]
        for s in spans:
            surface = record["text"][s["start"] : s["end"]]
            assert surface == surface.strip(), surface


@pytest.mark.parametrize(
    "problem,record",
    [
        ("unknown entity label", {"id": "x", "text": "区政府", "spans": [{"start": 0, "end": 3, "label": "GPE"}]}),
        ("outside the text", {"id": "x", "text": "区政府", "spans": [{"start": 0, "end": 9, "label": "ORG"}]}),
        ("overlaps", {"id": "x", "text": "区政府", "spans": [{"start": 0, "end": 2, "label": "ORG"}, {"start": 1, "end": 3, "label": "ORG"}]}),
        ("does not start", {"id": "x", "text": "区政府", "spans": [], "sections": [{"start": 1, "end": 3, "label": "HEADER"}]}),
        ("not at the end", {"id": "x", "text": "区政府", "spans": [], "sections": [{"start": 0, "end": 2, "label": "HEADER"}]}),
        ("unknown section label", {"id": "x", "text": "区政府", "spans": [], "sections": [{"start": 0, "end": 3, "label": "BODY"}]}),
    ],
)
def test_validate_names_the_problem(problem, record):
    with pytest.raises(ValueError, match=problem):
        validate(record)


@pytest.mark.parametrize("fmt", ["doccano", "labelstudio"])
def test_round_trip_through_annotation_tools(gold, fmt):
    there = list(convert(gold, "lawie", fmt))
    back = list(convert(there, fmt, "lawie"))
    for original, returned in zip(gold, back):
        assert returned["text"] == original["text"]
        assert returned["spans"] == sorted(original["spans"], key=lambda s: s["start"])
        assert returned["sections"] == original["sections"]


def test_labelstudio_result_carries_the_surface():
    record = {"id": "a", "text": "经区政府审议", "spans": [{"start": 1, "end": 4, "label": "ORG"}]}
    task = to_labelstudio(record)
    assert task["annotations"][0]["result"][0]["value"]["text"] == "区政府"
    assert from_labelstudio(task)["spans"] == record["spans"]


def test_agreement_counts_disagreements():
    a = [{"id": "d", "text": "区政府审议62件", "spans": [{"start": 0, "end": 3, "label": "ORG"}, {"start": 5, "end": 8, "label": "COUNT"}],
          "sections": [{"start": 0, "end": 8, "label": "MEASURES"}]}]
    b = [{"id": "d", "text": "区政府审议62件", "spans": [{"start": 0, "end": 3, "label": "ORG"}],
          "sections": [{"start": 0, "end": 4, "label": "MEASURES"}, {"start": 4, "end": 8, "label": "PLANS"}]}]
    result = agreement(a, b)
    assert result["labels"]["ORG"]["f1"] == 1.0
    assert result["labels"]["COUNT"] == {"both": 0, "only_a": 1, "only_b": 0, "f1": 0.0}
    assert result["section_agreement"] == 0.5


def test_recorded_passes_are_the_ones_reconciled(gold):
    # The two independent passes are kept; the gold differs from each only where reconciled.
    pass_a = [read_jsonl_pass(ROOT / "annotations" / "passes" / "A", r["id"]) for r in gold]
    result = agreement(pass_a, gold)
    assert 0.95 < result["micro_f1"] <= 1.0


def read_jsonl_pass(folder, doc_id):
    import json

    record = json.loads((folder / f"{doc_id}.json").read_text(encoding="utf-8"))
    record["text"] = (ROOT / "seeds" / f"{doc_id}.txt").read_text(encoding="utf-8")
    return record


def test_section_labels_cover_each_character(gold):
    for record in gold:
        labels = section_labels(record)
        assert None not in labels and len(labels) == len(record["text"])



def test_doccano_section_spans_become_sections():
    item = {"id": 1, "text": "一、存在的问题。区政府", "label": [[0, 8, "PROBLEMS"], [8, 11, "ORG"]]}
    record = convert_one(item, "doccano")
    assert record["sections"] == [{"start": 0, "end": 8, "label": "PROBLEMS"}]
    assert record["spans"] == [{"start": 8, "end": 11, "label": "ORG"}]


def test_labelstudio_json_array_export_is_read(gold, tmp_path):
    import json

    from lawie.train.annotations import read_jsonl

    path = tmp_path / "export.json"
    path.write_text(json.dumps(list(convert(gold[:2], "lawie", "labelstudio")), ensure_ascii=False), encoding="utf-8")
    back = list(convert(read_jsonl(path), "labelstudio", "lawie"))
    assert [r["text"] for r in back] == [r["text"] for r in gold[:2]]


def convert_one(item, fmt):
    return next(convert([item], fmt, "lawie"))


def _records(name):
    import json

    return {r["id"]: r for r in map(json.loads, (ROOT / "annotations" / name).read_text(encoding="utf-8").splitlines())}


def test_subject_fixes_are_in_the_gold():
    # annotations/passes/subject-fixes.tsv (guide §4, D1-D6), applied by training/import_real.py
    import csv
    import json

    records = {**_records("dev.jsonl"), **_records("corpus.jsonl")}
    with (ROOT / "annotations" / "passes" / "subject-fixes.tsv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    assert len(rows) == 51 and {r["decision"] for r in rows} <= {f"D{i}" for i in range(1, 7)}
    for row in rows:
        span = next(s for s in records[row["id"]]["spans"] if (s["start"], s["end"], s["label"]) == (int(row["start"]), int(row["end"]), row["label"]))
        field = "metric" if row["label"] == "RATE" else "subject"
        assert span["normalized"][field] == json.loads(row["new"]) != json.loads(row["old"]), row


def test_seed_values_are_the_recorded_pass(gold):
    # annotations/passes/seed-values, copied into seeds.jsonl by training/import_real.py
    import json

    for record in gold:
        recorded = json.loads((ROOT / "annotations" / "passes" / "seed-values" / f"{record['id']}.json").read_text(encoding="utf-8"))
        assert [(s["start"], s["end"], s["label"], s["normalized"]) for s in recorded["spans"]] == [
            (s["start"], s["end"], s["label"], s["normalized"]) for s in record["spans"]
        ]


@pytest.mark.parametrize("fmt", ["doccano", "labelstudio"])
def test_a_value_comes_back_only_on_an_unchanged_span(gold, fmt):
    there = list(convert(gold[:1], "lawie", fmt))
    labels = there[0]["label"] if fmt == "doccano" else there[0]["annotations"][0]["result"]
    moved = labels[0] if fmt == "doccano" else labels[0]["value"]
    if fmt == "doccano":
        moved[1] -= 1  # the annotator shortened the first span
    else:
        moved["end"] -= 1
    back = list(convert(there, fmt, "lawie"))[0]["spans"]
    original = sorted(gold[0]["spans"], key=lambda s: s["start"])
    assert "normalized" not in back[0] and back[0]["end"] == original[0]["end"] - 1
    assert back[1:] == original[1:] and all("normalized" in s for s in back[1:])

"""Training: annotations to pipeline, reproducibly; the train/evaluate/annotate/convert commands."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import lawie
from conftest import ROOT
from lawie.train.training import TrainSettings, clean_examples, fit, headings, score_entities, score_sections, train_heading_classifier

pytestmark = pytest.mark.slow


def _settings(**kw) -> TrainSettings:
    return TrainSettings(annotations=ROOT / "annotations", training_dir=ROOT / "training", synthetic=0, epochs=2, log=lambda m: None, **kw)


def test_clean_examples_map_raw_spans_onto_the_clean_text(gold):
    record = next(r for r in gold if r["id"].startswith("001"))
    orgs = [record["text"][s["start"] : s["end"]] for s in record["spans"] if s["label"] == "ORG"]
    found = [line[s:e] for line, spans in clean_examples(record) for s, e, _ in spans]
    assert len(found) == len(orgs)
    assert [lawie.clean_text(o).text for o in orgs] == found


def test_headings_come_from_numbered_sections(gold):
    pairs = dict(headings(gold))
    assert pairs["一、党政主要负责人履行推进法治建设第一责任人职责情况"] == "LEADERSHIP"
    assert pairs["四、2024年工作打算"] == "PLANS"


def test_heading_classifier_matches_scikit_learn():
    from lawie.pipeline.sections import HeadingClassifier

    pairs = [("一、存在的问题", "PROBLEMS"), ("二、下一步打算", "PLANS"), ("三、主要举措和成效", "MEASURES"), ("四、存在的不足", "PROBLEMS")]
    classifier = HeadingClassifier(train_heading_classifier(pairs))
    assert classifier.predict("五、工作中存在的问题") == "PROBLEMS"
    assert classifier.predict("二、主要举措") == "MEASURES"


def test_same_data_and_seed_give_the_same_model(gold):
    settings = _settings()
    a = fit(gold[:2], settings)
    b = fit(gold[:2], settings)
    assert a.get_pipe("ner").to_bytes(exclude=["vocab"]) == b.get_pipe("ner").to_bytes(exclude=["vocab"])
    text = gold[2]["text"]
    assert lawie.extract(text, nlp=a).to_dict() == lawie.extract(text, nlp=b).to_dict()


def test_trained_pipeline_saves_and_loads(gold, tmp_path):
    nlp = fit(gold[:2], _settings())
    nlp.to_disk(tmp_path / "model")
    loaded = lawie.load(tmp_path / "model")
    assert loaded.pipe_names == nlp.pipe_names and "ner" in loaded.pipe_names
    text = gold[3]["text"]
    assert lawie.extract(text, nlp=loaded).to_dict() == lawie.extract(text, nlp=nlp).to_dict()


def test_scores():
    gold = {(0, 3, "ORG"), (5, 8, "COUNT")}
    pred = {(0, 3, "ORG"), (4, 8, "COUNT")}
    scores = score_entities([(gold, pred)])
    assert scores["ORG"]["f"] == 1.0 and scores["COUNT"]["f"] == 0.0
    assert scores["micro"]["p"] == 0.5
    sections = score_sections([(["HEADER", "HEADER", "PLANS"], ["HEADER", "PLANS", "PLANS"])])
    assert sections["accuracy"] == pytest.approx(2 / 3)


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "lawie", *args], capture_output=True, cwd=cwd, timeout=600)


def test_annotate_then_add_and_retrain_in_one_command(tmp_path):
    # Pre-annotate a seed for Label Studio, "correct" it, and retrain with it added.
    annotations = tmp_path / "annotations"
    annotations.mkdir()
    (annotations / "seeds.jsonl").write_text(
        "\n".join((ROOT / "annotations" / "seeds.jsonl").read_text(encoding="utf-8").splitlines()[:2]) + "\n", encoding="utf-8"
    )
    tasks = tmp_path / "tasks.jsonl"
    result = run("annotate", str(ROOT / "seeds" / "002_7cbc334219cd1cfe.txt"), "-o", str(tasks), "--format", "labelstudio")
    assert result.returncode == 0, result.stderr.decode()
    task = json.loads(tasks.read_text(encoding="utf-8"))
    assert task["data"]["text"].startswith("北京市大兴区人民政府")
    result = run(
        "train", "--annotations", str(annotations), "--add", str(tasks), "--format", "labelstudio",
        "--output", str(tmp_path / "model"), "--epochs", "1", "--synthetic", "0",
    )
    assert result.returncode == 0, result.stderr.decode()
    assert len((annotations / "corrections.jsonl").read_text(encoding="utf-8").splitlines()) == 1
    assert "ner" in lawie.load(tmp_path / "model").pipe_names


def test_convert_command(tmp_path):
    out = tmp_path / "doccano.jsonl"
    result = run("convert", "annotations/seeds.jsonl", "-o", str(out), "--from", "lawie", "--to", "doccano")
    assert result.returncode == 0, result.stderr.decode()
    first = json.loads(out.read_text(encoding="utf-8").splitlines()[0])
    assert set(first) >= {"text", "label"}


def test_train_outside_a_clone_says_what_to_do(tmp_path):
    result = run("train", cwd=tmp_path)
    assert result.returncode == 2
    assert "clone" in result.stderr.decode() and "Traceback" not in result.stderr.decode()


def test_model_card_quotes_every_score():
    from lawie.train.model_card import render_model_card, render_table

    labels = ("LAW", "ORG", "COUNT", "RATE", "MONEY", "micro")
    scores = {lab: {"p": 0.5, "r": 0.25, "f": 1 / 3, "n": 7} for lab in labels}
    report = {
        "lodo": {"full": scores, "rules": scores},
        "sections": {"accuracy": 0.9876, "macro_f1": 0.5},
        "counts": {lab: 7 for lab in labels[:-1]},
        "documents": 5,
        "novel": {"full": scores},
        "novel_counts": {lab: 3 for lab in labels[:-1]},
    }
    table = render_table(report)
    assert table.count("0.500 / 0.250 / **0.333**") == 18 and "accuracy 0.988" in table
    card = render_model_card(report, _settings())
    assert table in card and "ORG 7" in card and "ORG 3" in card

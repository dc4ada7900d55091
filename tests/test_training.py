"""Training: annotations to pipeline, reproducibly; the train/evaluate/annotate/convert commands."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import lawie
from conftest import ROOT
from lawie.train.evaluate import score_entities, score_sections, score_values
from lawie.train.sections import fit_linear, fit_section_models, section_examples
from lawie.train.training import TrainSettings, clean_examples, fit

pytestmark = pytest.mark.slow


def _settings(**kw) -> TrainSettings:
    return TrainSettings(annotations=ROOT / "annotations", synthetic=0, epochs=2, log=lambda m: None, **kw)


def test_clean_examples_map_raw_spans_onto_the_clean_text(gold):
    record = next(r for r in gold if r["id"].startswith("001"))
    orgs = [record["text"][s["start"] : s["end"]] for s in record["spans"] if s["label"] == "ORG"]
    found = [line[s:e] for line, spans in clean_examples(record) for s, e, _ in spans]
    assert len(found) == len(orgs)
    assert [lawie.clean_text(o).text for o in orgs] == found


def test_section_examples_come_from_gold_sections(gold):
    header, headings = section_examples(gold)
    assert {label for _, label in header} == {"HEADER", "BODY"}
    assert {label for _, label in headings} >= {"MEASURES", "LEADERSHIP", "PROBLEMS", "PLANS"}
    assert any("h:责任人" in feats for feats, label in headings if label == "LEADERSHIP")


def test_linear_model_matches_scikit_learn():
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    from lawie.pipeline.sections import LinearModel

    examples = [(["a", "b"], "X"), (["a", "c"], "Y"), (["b"], "X"), (["c", "d"], "Y"), (["d"], "Z"), (["a", "d"], "Z")]
    model = LinearModel(fit_linear(examples))
    vec = DictVectorizer()
    x = vec.fit_transform([{f: 1.0 for f in feats} for feats, _ in examples])
    reference = LogisticRegression(C=1.0, max_iter=3000, random_state=0).fit(x, [label for _, label in examples])
    for feats in (["a"], ["b", "c"], ["d"], ["a", "b", "d"]):
        assert model.predict(feats) == reference.predict(vec.transform([{f: 1.0 for f in feats}]))[0]


def test_section_models_are_plain_data(gold):
    models = fit_section_models(gold, [("四、下一步工作打算", "PLANS")])
    assert set(models) == {"header_model", "heading_model"}
    assert json.loads(json.dumps(models)) == models


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
    values = score_values([({(5, 8, "COUNT"): {"value": 3, "unit": "件"}}, {(5, 8, "COUNT"): {"value": 3, "unit": "次"}})])
    assert values["COUNT"] == {"found": 1.0, "value": 1.0, "unit": 0.0} and values["all"]["accuracy"] == 0.5


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
    block = {
        "entities": {"full": scores, "rules": scores},
        "sections": {"full": {"accuracy": 0.9876, "macro_f1": 0.5}, "regex": {"accuracy": 0.9, "macro_f1": 0.4}},
        "values": {"COUNT": {"found": 1.0, "value": 0.75}, "all": {"accuracy": 0.75, "n": 4}},
    }
    report = {"real": block, "seeds": block, "counts": {lab: 7 for lab in labels[:-1]}, "documents": {"real": 9, "seeds": 2}, "folds": 3,
              "curve": [{"documents": 4, "micro": 0.5, "ORG": 0.4, "sections": 0.9}]}
    table = render_table(report)
    assert table.count("0.500 / 0.250 / **0.333**") == 24 and "| accuracy | 0.988 | 0.900 |" in table
    card = render_model_card(report, _settings(), curve_png="images/learning-curve.png")
    assert table in card and "ORG 7" in card and "9 real report excerpts" in card and "learning-curve.png" in card

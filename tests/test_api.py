"""The public API: extract, extract_many, Report."""

from __future__ import annotations

import json

import pytest

import lawie
from lawie.text.cleaning import clean_text


def _check_report(report: lawie.Report, raw: str) -> None:
    data = report.to_dict()
    assert set(data) == {"entities", "sections", "meta"}
    json.dumps(data, ensure_ascii=False)
    last_end = 0
    for ent in data["entities"]:
        assert set(ent) == {"start", "end", "label", "text", "normalized"}
        assert last_end <= ent["start"] < ent["end"] <= len(raw)
        assert ent["label"] in lawie.ENTITY_LABELS
        assert clean_text(raw[ent["start"] : ent["end"]]).text == ent["text"]
        last_end = ent["end"]
    if raw.strip():
        sections = data["sections"]
        assert sections[0]["start"] == 0 and sections[-1]["end"] == len(raw)
        assert all(a["end"] == b["start"] for a, b in zip(sections, sections[1:]))
        assert all(s["label"] in lawie.SECTION_LABELS for s in sections)
    else:
        assert data["sections"] == []


def test_seed_reports_are_valid(seed_reports, seed_texts):
    for name, report in seed_reports.items():
        _check_report(report, seed_texts[name])
        assert report.entities, name


def test_entities_point_into_raw_traditional_text(seed_reports, seed_texts):
    raw = seed_texts["001_7fd64a31cf2fad1d"]
    found = {(raw[e.start : e.end], e.text, e.label) for e in seed_reports["001_7fd64a31cf2fad1d"].entities}
    assert ("50萬(wàn)元", "50万元", "MONEY") in found


def test_broken_bracket_seed(seed_reports, seed_texts):
    raw = seed_texts["004_07ddf58672798297"]
    laws = [raw[e.start : e.end] for e in seed_reports["004_07ddf58672798297"].entities if e.label == "LAW"]
    # The unclosed 《 ends with its document number, not at the end of the sentence.
    assert "《合肥市庐阳区人民政府2020年依法行政和法治政府建设工作安排(庐政办秘〔202018号)" in laws


def test_bytes_are_decoded(nlp):
    text = "全年审理行政复议案件62件。"
    for data in (text.encode("utf-8"), b"\xef\xbb\xbf" + text.encode("utf-8"), text.encode("gb18030")):
        report = lawie.extract(data, nlp=nlp)
        assert [e.text for e in report.entities] == ["62件"]


def test_undecodable_bytes_name_the_encodings(nlp):
    with pytest.raises(ValueError, match="gb18030"):
        lawie.extract(b"report \x80\xff", nlp=nlp)


@pytest.mark.parametrize("bad", [None, 3, 4.5, ["text"], {"text": "x"}])
def test_non_text_is_a_type_error(bad, nlp):
    with pytest.raises(TypeError, match=type(bad).__name__):
        lawie.extract(bad, nlp=nlp)


@pytest.mark.parametrize("raw", ["", "   \n\t "])
def test_blank_text(raw, nlp):
    report = lawie.extract(raw, nlp=nlp)
    assert report.entities == [] and report.sections == []


def test_extract_many_keeps_order_and_matches_extract(nlp, seed_texts):
    texts = list(seed_texts.values())
    many = [r.to_dict() for r in lawie.extract_many(texts + [""], nlp=nlp, batch_size=2)]
    assert many[:-1] == [lawie.extract(t, nlp=nlp).to_dict() for t in texts]
    assert many[-1]["entities"] == []


def test_extract_many_rejects_a_single_string(nlp):
    with pytest.raises(TypeError, match="iterable"):
        list(lawie.extract_many("一份报告", nlp=nlp))


def test_long_text_is_processed_in_pieces(nlp, seed_texts, monkeypatch):
    import lawie.api

    raw = "\n".join(seed_texts.values())
    whole = lawie.extract(raw, nlp=nlp)
    monkeypatch.setattr(lawie.api, "PIECE_CHARS", 3000)
    pieces = lawie.extract(raw, nlp=nlp)
    _check_report(pieces, raw)
    # Sections, values and metadata are read once over the whole text: every field is the same.
    assert pieces.to_dict() == whole.to_dict()


def test_long_text_metadata_comes_from_the_whole_text(nlp, seed_texts, monkeypatch):
    import lawie.api

    raw = seed_texts["000_880ad7a322cffbd7"]
    whole = lawie.extract(raw, nlp=nlp)
    monkeypatch.setattr(lawie.api, "PIECE_CHARS", 800)  # the date that closes the report is in the last piece
    pieces = lawie.extract(raw, nlp=nlp)
    assert whole.meta["published"] == "2024-01-31"
    assert pieces.to_dict() == whole.to_dict()


def test_shipped_lexicons_are_lawie_data(nlp):
    """One source for every lexicon: the shipped model holds exactly the files of lawie/data."""
    import srsly

    from lawie.pipeline.base import DATA_DIR, LexiconComponent

    components = [(name, pipe) for name, pipe in nlp.pipeline if isinstance(pipe, LexiconComponent)]
    assert {name for name, _ in components} >= {"lawie_entity_rules", "lawie_orgs", "lawie_values"}
    for name, pipe in components:
        for file in set(pipe.DATA_FILES) - set(pipe.TRAINED_FILES):  # trained files are the model's own
            assert pipe.lexicons[file] == srsly.read_json(DATA_DIR / file), f"{name}: {file} differs from lawie/data"


def test_default_pipeline_is_loaded_once():
    assert lawie.api._default_nlp() is lawie.api._default_nlp()


def test_load_missing_path_says_what_to_do(tmp_path):
    with pytest.raises(OSError, match="lawie train"):
        lawie.load(tmp_path / "nothing")

"""Indicator rows (``Report.indicators``) and ``lawie.to_dataset``."""

from __future__ import annotations

import pytest

import lawie
from lawie.outputs.indicators import ENTITY_COLUMNS, INDICATOR_COLUMNS

TEXT = (
    "北京市大兴区人民政府2023年法治政府建设年度情况报告\n"
    "来源:区政府办 日期:2024-03-28 10:49\n"
    "2023年,大兴区坚持以习近平法治思想为指导,扎实推进依法行政,服务保障地区高质量发展。现将有关情况报告如下:\n"
    "一、主要举措和成效\n"
    "全年接收行政復議案件720件,同比增長57.54%。化解率、群众满意率均保持在98%以上。发现管理不规范金额74356万元。"
    "贯彻《优化营商环境条例》。\n"
    "二、存在的不足\n"
    "执法人员培训不到20人次。\n"
)


@pytest.fixture(scope="module")
def report(nlp):
    return lawie.extract(TEXT, nlp=nlp)


def test_rows_field_by_field(report):
    rows = report.indicators()
    assert [r["text"] for r in rows] == ["720件", "57.54%", "98%", "98%", "74356万元", "20人次"]
    assert all(tuple(r) == INDICATOR_COLUMNS for r in rows)
    first = rows[0]
    assert first["issuer"] == "北京市大兴区人民政府" and first["year"] == 2023
    assert first["section"] == "MEASURES" and first["label"] == "COUNT"
    assert (first["indicator"], first["value"], first["unit"], first["approx"], first["change"]) == (
        "行政复议案件",
        720,
        "件",
        None,
        None,
    )
    # raw offsets point into the raw (traditional) text; the sentence is clean
    assert TEXT[first["start"] : first["end"]] == "720件"
    assert first["sentence"] == "全年接收行政复议案件720件,同比增长57.54%。"
    change = rows[1]
    assert (change["indicator"], change["value"], change["unit"], change["change"]) == (
        "行政复议案件",
        0.5754,
        "fraction",
        "increase",
    )


def test_a_shared_figure_gives_one_row_per_metric(report):
    shared = [r for r in report.indicators() if r["text"] == "98%"]
    assert [r["indicator"] for r in shared] == ["化解率", "群众满意率"]
    assert all(r["shared"] == 2 and r["approx"] == "gt" and r["value"] == 0.98 for r in shared)
    assert shared[0]["start"] == shared[1]["start"]


def test_money_and_section_of_problems(report):
    rows = {r["text"]: r for r in report.indicators()}
    assert (rows["74356万元"]["value"], rows["74356万元"]["unit"]) == (743560000, "CNY")
    last = rows["20人次"]
    assert last["section"] == "PROBLEMS" and last["approx"] == "lt"


def test_percentage_points_are_a_unit_of_their_own(nlp):
    rows = lawie.extract("不予行政处罚案件量占比同比增加11个百分点。", nlp=nlp).indicators()
    assert [(r["value"], r["unit"], r["change"]) for r in rows] == [(11, "points", "increase")]


def test_laws_and_orgs_are_not_indicators(report):
    assert {r["label"] for r in report.indicators()} == {"COUNT", "RATE", "MONEY"}


def test_empty_report(nlp):
    assert lawie.extract("", nlp=nlp).indicators() == []


def test_indicator_dataset(report, seed_reports):
    ds = lawie.to_dataset([report, *seed_reports.values()], kind="indicators", names=["x", *seed_reports])
    assert ds.column_names == ["report", *INDICATOR_COLUMNS]
    assert ds.num_rows == len(report.indicators()) + sum(len(r.indicators()) for r in seed_reports.values())
    df = ds.to_pandas()
    assert set(df["report"]) == {"x", *seed_reports}
    row = df[(df["report"] == "x") & (df["text"] == "720件")].iloc[0]
    assert row["value"] == 720.0 and row["indicator"] == "行政复议案件"


def test_entity_dataset_and_parquet(report, tmp_path):
    ds = lawie.to_dataset(report, kind="entities")
    assert ds.column_names == ["report", *ENTITY_COLUMNS]
    assert ds.num_rows == len(report.entities)
    law = [r for r in ds if r["label"] == "LAW"][0]
    assert (law["title"], law["kind"], law["value"]) == ("优化营商环境条例", "行政法规", None)
    rate = [r for r in ds if r["text"] == "98%"][0]
    assert rate["metrics"] == ["化解率", "群众满意率"]
    path = tmp_path / "entities.parquet"
    ds.to_parquet(str(path))
    import pandas as pd

    assert len(pd.read_parquet(path)) == ds.num_rows


def test_empty_dataset_keeps_its_columns():
    ds = lawie.to_dataset([], kind="indicators")
    assert ds.num_rows == 0 and ds.column_names == ["report", *INDICATOR_COLUMNS]


def test_dataset_errors(report):
    with pytest.raises(ValueError, match="indicators"):
        lawie.to_dataset([report], kind="spans")
    with pytest.raises(TypeError, match="lawie.Report"):
        lawie.to_dataset([report.to_dict()])
    with pytest.raises(ValueError, match="one name"):
        lawie.to_dataset([report, report], names=["a"])

"""Sections (``lawie_sections``): the cut by rules and the two learned decisions, on short texts written here."""

from __future__ import annotations

import pytest

import lawie
from lawie.pipeline.sections import SectionTagger, heading_text, lines_of, top_headings
from lawie.text.cleaning import clean_text
from lawie.train.baselines import regex_sections

BODY = "2023年,区政府坚持以习近平法治思想为指导,深入推进依法行政,法治政府建设取得新成效,现将有关情况报告如下。"
MEASURES = "一、主要举措和成效\n(一)加强组织领导。区政府常务会议专题研究法治工作3次,审议规范性文件12件。"
LEADER = "二、党政主要负责人履行推进法治建设第一责任人职责情况\n区政府主要负责同志带头学法,主持召开专题会议。"
PROBLEMS = "三、存在的问题和不足\n一是执法队伍力量不足;二是基层法治宣传形式单一。"
PLANS = "四、2024年工作打算\n持续深化行政执法体制改革,推进法治政府建设。"


@pytest.fixture(scope="module")
def rules() -> SectionTagger:
    """The tagger without learned models: every decision by rule."""
    return SectionTagger(None)


@pytest.fixture(scope="module")
def tagger(nlp) -> SectionTagger:
    return nlp.get_pipe("lawie_sections")


def cut(tagger: SectionTagger, text: str) -> list[tuple[str, str]]:
    """``(label, first characters)`` of each segment."""
    return [(label, text[s : s + 6]) for s, _, label in tagger.segment(text)]


def test_segments_tile_the_text(rules):
    text = "\n".join(["某某区人民政府关于2023年度法治政府建设情况的报告", BODY, MEASURES, LEADER])
    segments = rules.segment(text)
    assert segments[0][0] == 0 and segments[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(segments, segments[1:]))


def test_full_report_is_typed_by_heading(rules):
    text = "\n".join(["某某区人民政府关于2023年度法治政府建设情况的报告", BODY, MEASURES, LEADER, PROBLEMS, PLANS])
    assert [label for label, _ in cut(rules, text)] == ["HEADER", "OVERVIEW", "MEASURES", "LEADERSHIP", "PROBLEMS", "PLANS"]


@pytest.mark.parametrize("use", ["rules", "tagger"])
def test_text_that_opens_with_the_body_starts_with_overview(use, rules, tagger):
    text = BODY + "\n" + MEASURES
    assert cut(rules if use == "rules" else tagger, text)[0] == ("OVERVIEW", BODY[:6])


def test_header_lines_then_overview(tagger):
    text = "\n".join(["首页 > 政务公开 > 法治政府建设", "来源:区司法局 发布时间:2024-03-28 09:18 【字体:大 中 小】", "某某区2023年度法治政府建设情况报告", BODY, MEASURES])
    assert [label for label, _ in cut(tagger, text)] == ["HEADER", "OVERVIEW", "MEASURES"]
    assert cut(tagger, text)[1][1] == BODY[:6]


def test_addressee_line_opens_the_overview(rules, tagger):
    text = "\n".join(["某某市人民政府关于2023年度法治政府建设情况的报告", "市人大常委会:", BODY, MEASURES])
    for t in (rules, tagger):
        assert cut(t, text)[:2] == [("HEADER", "某某市人民政"), ("OVERVIEW", "市人大常委会")]


def test_subsections_inherit_the_top_level_type(rules):
    sub = "(二)切实履行推进法治建设第一责任人职责。主要负责同志带头学法。"
    text = "\n".join([BODY, MEASURES, sub, LEADER])
    assert [label for label, _ in cut(rules, text)] == ["OVERVIEW", "MEASURES", "LEADERSHIP"]


def test_only_subsection_numbering_is_top_level(rules):
    text = "\n".join([BODY, "(一)加强组织领导。成立领导小组。", "(二)推进依法行政。审核规范性文件。"])
    assert [label for label, _ in cut(rules, text)] == ["OVERVIEW", "MEASURES", "MEASURES"]


def test_unnumbered_heading_lines(rules):
    para = "坚持把学习宣传贯彻习近平法治思想作为首要政治任务,组织开展专题学习,推动法治政府建设各项任务落地见效。"
    text = "\n".join([BODY, "深入学习贯彻习近平法治思想", para, "持续优化法治化营商环境", para])
    assert [label for label, _ in cut(rules, text)] == ["OVERVIEW", "MEASURES", "MEASURES"]


def test_heading_inline_with_the_previous_sentence(rules):
    text = BODY + " 一、坚持党的领导,统筹法治政府建设。区委常委会听取汇报2次。"
    segments = cut(rules, text)
    assert segments == [("OVERVIEW", BODY[:6]), ("MEASURES", "一、坚持党的")]


def test_heading_inline_with_its_first_sentence(rules):
    line = "一、加强党的领导。全面落实法治建设责任制,召开专题会议3次。"
    assert heading_text(line) == ("一、加强党的领导", "全面落实法治建设责任制,召开专题会议3次。")
    assert top_headings(lines_of("\n".join([BODY, line]))) == [1]


@pytest.mark.parametrize("numbering", ["一、", "一.", "一．", "第一部分 "])
def test_numbering_variants(rules, numbering):
    text = "\n".join([BODY, numbering + "主要举措和成效", "审核规范性文件12件。"])
    assert [label for label, _ in cut(rules, text)] == ["OVERVIEW", "MEASURES"]


def test_traditional_script_and_pinyin_glosses_in_headings():
    raw = "\n".join([BODY, "一、主要舉(jǔ)措和成效", "審核規範性文件12件。", "二、存在的問(wèn)題和不足", "執法力量不足。"])
    report = lawie.extract(raw)
    assert [s.label for s in report.sections] == ["OVERVIEW", "MEASURES", "PROBLEMS"]
    assert raw[report.sections[1].start :].startswith("一、主要舉(jǔ)措")


def test_year_named_in_a_heading(rules):
    same = "\n".join([BODY, "一、2023年工作情况", "审核规范性文件12件。"])
    later = "\n".join([BODY, "一、2023年工作情况", "审核规范性文件12件。", "二、2024年重点工作", "持续推进。"])
    assert [label for label, _ in cut(rules, same)] == ["OVERVIEW", "MEASURES"]
    assert [label for label, _ in cut(rules, later)] == ["OVERVIEW", "MEASURES", "PLANS"]


def test_a_measures_heading_that_names_shortcomings_stays_measures(rules):
    text = "\n".join([BODY, "一、2023年推进法治政府建设的主要举措、成效和不足", "审核规范性文件12件。"])
    assert [label for label, _ in cut(rules, text)] == ["OVERVIEW", "MEASURES"]


def test_unnumbered_tail_problems_then_plans(rules):
    text = "\n".join(
        [BODY, MEASURES, "(二)推进依法行政。审核文件8件。", "同时,我们也清醒地看到,工作中还存在一些不足。一是执法力量不足。下一步,我们将持续推进法治政府建设。"]
    )
    segments = rules.segment(text)
    assert [label for _, _, label in segments] == ["OVERVIEW", "MEASURES", "PROBLEMS", "PLANS"]
    assert text[segments[-1][0] :].startswith("下一步")


def test_closing_signature_and_date(rules):
    text = "\n".join([BODY, MEASURES, "某某区人民政府", "2024年1月31日", "扫一扫在手机打开当前页"])
    assert cut(rules, text)[-1] == ("CLOSING", "某某区人民政")


def test_excerpt_that_stops_mid_section(rules):
    text = BODY + "\n" + MEASURES[:25]
    segments = rules.segment(text)
    assert segments[-1][1] == len(text) and segments[-1][2] == "MEASURES"


def test_blank_text_has_no_sections(rules):
    assert rules.segment(" \n\t") == []


def test_regex_baseline_tiles_and_types():
    text = "\n".join(["某某区人民政府关于2023年度法治政府建设情况的报告", BODY, MEASURES, LEADER])
    segments = regex_sections(text)
    assert [label for _, _, label in segments] == ["HEADER", "OVERVIEW", "MEASURES", "LEADERSHIP"]
    assert segments[0][0] == 0 and segments[-1][1] == len(text)


def test_models_round_trip(tagger, tmp_path):
    tagger.to_disk(tmp_path)
    loaded = SectionTagger(None).from_disk(tmp_path)
    assert loaded.header_model.data == tagger.header_model.data and loaded.heading_model.data == tagger.heading_model.data
    assert SectionTagger(None).from_bytes(tagger.to_bytes()).heading_model.data == tagger.heading_model.data


def test_a_missing_model_file_is_an_error(tmp_path):
    with pytest.raises(OSError, match="E018"):
        SectionTagger(None).from_disk(tmp_path)


def test_clean_offsets_back_to_raw_sections():
    raw = "\u3000\u3000" + BODY + "\n\n  " + MEASURES
    report = lawie.extract(raw)
    assert report.sections[0].start == 0 and report.sections[-1].end == len(raw)
    assert raw[report.sections[1].start :].startswith("一、主要举措")
    assert clean_text(raw).text.startswith(BODY[:5])

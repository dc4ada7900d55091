"""LAW, COUNT, RATE and MONEY by pattern (``lawie_entity_rules``), on sentences written here."""

from __future__ import annotations

import pytest

from lawie.pipeline.entity_rules import EntityRules


@pytest.fixture(scope="module")
def rules() -> EntityRules:
    component = EntityRules(None)
    component.initialize()
    return component


def found(rules: EntityRules, text: str, label: str | None = None) -> list[str]:
    return [text[s:e] for s, e, lab in rules.find(text) if label in (None, lab)]


# -- LAW ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text,expected",
    [
        ("贯彻《优化营商环境条例》。", ["《优化营商环境条例》"]),
        ("审议《某某区2022年度法治政府建设情况报告》。", ["《某某区2022年度法治政府建设情况报告》"]),  # reports of authorities
        ("学习《国家统计局关于部分地区统计违法问题情况的通报》。", ["《国家统计局关于部分地区统计违法问题情况的通报》"]),
        ("修订《建设项目环境影响评价分类管理名录》。", ["《建设项目环境影响评价分类管理名录》"]),
        ("制定《潼关县贯彻落实<法治政府建设实施纲要(2021-2025年)工作方案>》。", ["《潼关县贯彻落实<法治政府建设实施纲要(2021-2025年)工作方案>》"]),
    ],
)
def test_titles_in_marks_are_instruments(rules, text, expected):
    assert found(rules, text, "LAW") == expected


@pytest.mark.parametrize(
    "text",
    [
        "在《人民日报》刊发文章。",  # newspaper
        "观看《今日说法》节目。",  # programme
        "签订《党风廉政建设责任书》。",  # pledge form
        "组织学习《习近平法治思想学习纲要》。",  # book
        "研读《论坚持全面依法治国》。",  # book
        "发放《卫生许可证》254件。",  # certificate
    ],
)
def test_titles_that_are_not_instruments(rules, text):
    assert found(rules, text, "LAW") == []


def test_a_title_cut_by_the_end_of_an_excerpt_runs_to_the_end(rules):
    text = "严格落实《党政主要负责人履"
    assert found(rules, text, "LAW") == ["《党政主要负责人履"]


def test_an_unclosed_title_stops_within_the_sentence(rules):
    assert found(rules, "印发《区法治政府建设实施方案的通知。全年审核文件3件。", "LAW") == ["《区法治政府建设实施方案的通知"]


@pytest.mark.parametrize(
    "text,expected",
    [
        ("开展民法典专题学习。", ["民法典"]),
        ("深入学习贯彻党章、党的二十大精神。", ["党章"]),
        ("严格执行党政主要负责人履行推进法治建设第一责任人职责规定。", ["党政主要负责人履行推进法治建设第一责任人职责规定"]),
        ("学习宪法、禁毒法、信访工作条例。", ["宪法", "禁毒法", "信访工作条例"]),
        ("完成河道采砂管理条例修订。", ["河道采砂管理条例"]),  # a bare regulation after a verb
    ],
)
def test_bare_names(rules, text, expected):
    assert found(rules, text, "LAW") == expected


@pytest.mark.parametrize("text", ["推进统计法治建设。", "开展宪法宣传周活动。", "落实相关条例要求。"])
def test_not_bare_names(rules, text):
    assert found(rules, text, "LAW") == []


# -- COUNT, RATE, MONEY ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text,expected",
    [
        ("审理行政复议案件62件。", ["62件"]),
        ("培训1,472人次,投入50万元。", ["1,472人次", "50万元"]),
        ("制定了7个方面58项措施。", ["7个", "58项"]),  # 方面 stays outside
        ("办理时限压缩12个工作日。", ["12个工作日"]),
        ("组织两轮检查。", ["两轮"]),
        ("每半年召开一次专题会议。", ["一次"]),
        ("业务套餐41组。", ["41组"]),
        ("同比增长57.54%,提高11个百分点。", ["57.54%", "11个百分点"]),
    ],
)
def test_quantities(rules, text, expected):
    assert found(rules, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "学习省委十一届三次、四次全会精神。",  # session ordinals
        "完成第二、三批区级示范创建。",  # an ordinal list
        "2015年7月16日至17日举办培训。",  # dates
        "严格落实行政执法三项制度。",  # a set phrase
        "完成万人律师数指标。",  # a base, not a number
        "一次性告知,一方面加强。",
    ],
)
def test_numbers_that_are_not_quantities(rules, text):
    assert found(rules, text, "COUNT") == []


def test_a_number_cut_by_the_end_of_an_excerpt_is_a_count(rules):
    assert found(rules, "整规范行政权力事项,取消52", "COUNT") == ["52"]
    assert found(rules, "取消52项,保留30", "COUNT") == ["52项", "30"]


def test_rule_entities_are_kept_out_of_doc_ents(nlp):
    doc = nlp.make_doc("审理案件62件,依据《行政复议法》。")
    doc = nlp.get_pipe("lawie_entity_rules")(doc)
    assert [(s.text, s.label_) for s in doc.spans["lawie_rules"]] == [("62件", "COUNT"), ("《行政复议法》", "LAW")]
    assert list(doc.ents) == []

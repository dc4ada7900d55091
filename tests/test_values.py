"""Normalised values (``lawie_values``) and the number reading under them (``lawie.numbers``).

The table below holds sentences built on the seeds' patterns and constructed
cases for every phenomenon of ``docs/LABELS.md``: Chinese numerals, 万/亿,
decimals, fractions, 百分之…, 个百分点, qualifiers before and after the span,
changes, subjects and metrics, traditional and full-width input. Each case is
run through the shipped pipeline and checked field by field.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from spacy.tokens import Span

from lawie.text.numerals import parse_money, parse_quantity, parse_rate, read_numeral
from lawie.pipeline.values import ValueReader

N = None
COUNT_KEYS = ("value", "unit", "approx", "subject", "change")
MONEY_KEYS = ("value", "currency", "approx", "subject", "change")
RATE_KEYS = ("value", "points", "metric", "metrics", "change", "approx")
LAW_KEYS = ("title", "doc_number", "kind")


def count(value, unit, approx=N, subject=N, change=N):
    return dict(zip(COUNT_KEYS, (value, unit, approx, subject, change)))


def money(value, approx=N, subject=N, currency="CNY", change=N):
    return dict(zip(MONEY_KEYS, (value, currency, approx, subject, change)))


def rate(value, metric=N, approx=N, change=N, points=N, metrics=N):
    metrics = metrics if metrics is not None else ([metric] if metric else [])
    return dict(zip(RATE_KEYS, (value, points, metric, metrics, change, approx)))


def law(title, kind, doc_number=N):
    return dict(zip(LAW_KEYS, (title, doc_number, kind)))


# (raw sentence, clean span text, label, expected normalised value)
CASES = [
    # -- COUNT: Arabic numerals, the seeds' patterns ---------------------------------
    ("全年审理行政复议案件62件。", "62件", "COUNT", count(62, "件", subject="行政复议案件")),
    ("开展新任行政执法人员考试161人次。", "161人次", "COUNT", count(161, "人次", subject="新任行政执法人员考试")),
    ("组织重点人群法治教育培训1472人次。", "1472人次", "COUNT", count(1472, "人次", subject="重点人群法治教育培训")),
    ("今年以来累计出庭应诉案件96件。", "96件", "COUNT", count(96, "件", subject="出庭应诉案件")),
    ("成功调解矛盾纠纷94件。", "94件", "COUNT", count(94, "件", subject="矛盾纠纷")),
    ("抽查案卷47卷,指导纠正问题21项。", "47卷", "COUNT", count(47, "卷", subject="案卷")),
    ("抽查案卷47卷,指导纠正问题21项。", "21项", "COUNT", count(21, "项", subject="问题")),
    ("管委会领导批示部署法治建设工作3次。", "3次", "COUNT", count(3, "次", subject="批示部署法治建设工作")),  # guide §4, D3
    ("全年办理行政处罚441件、行政检查2528次、行政许可9329件。", "2528次", "COUNT", count(2528, "次", subject="行政检查")),
    ("全年办理行政处罚441件、行政检查2528次、行政许可9329件。", "9329件", "COUNT", count(9329, "件", subject="行政许可")),
    ("区政府法律顾问列席区政府常务会19次。", "19次", "COUNT", count(19, "次", subject="区政府常务会")),
    ("召开会议10余次,研究审议法治政府建设制度文件19件。", "10余次", "COUNT", count(10, "次", "gt", "会议")),
    ("召开会议10余次,研究审议法治政府建设制度文件19件。", "19件", "COUNT", count(19, "件", subject="法治政府建设制度文件")),
    ("2017年,新区各级调解组织成功调解各类矛盾纠纷142件。", "142件", "COUNT", count(142, "件", subject="矛盾纠纷")),
    ("办理依申请公开事项187件。", "187件", "COUNT", count(187, "件", subject="依申请公开事项")),
    ("深入开展宪法、民法典等主题宣传活动106场次。", "106场次", "COUNT", count(106, "场次", subject="主题宣传活动")),
    # the counted noun after the number
    ("动态调整公布1464项行政权力清单。", "1464项", "COUNT", count(1464, "项", subject="行政权力清单")),
    ("公布实施市、区两级4441项权责清单。", "4441项", "COUNT", count(4441, "项", subject="权责清单")),
    ("全年组织21名领导干部进行专题培训。", "21名", "COUNT", count(21, "名", subject="领导干部")),
    ("完成12个场景“6+4”一体化综合监管应用。", "12个", "COUNT", count(12, "个", subject="场景")),
    ("新区报送4件处罚案卷和2件许可案卷参与评查。", "4件", "COUNT", count(4, "件", subject="处罚案卷")),
    ("新区报送4件处罚案卷和2件许可案卷参与评查。", "2件", "COUNT", count(2, "件", subject="许可案卷")),
    ("本年度区共145人参加执法人员资格认证通用考试。", "145人", "COUNT", count(145, "人")),
    # units: 个 + noun, the typo 各, a lost unit, durations
    ("开发区和管辖的12个村(社区)分别都聘请了法律顾问。", "12个", "COUNT", count(12, "个", subject="村(社区)")),
    ("平均每个项目节约办理时限12个工作日。", "12个工作日", "COUNT", count(12, "工作日", subject="办理时限")),
    ("完成9各基层议事协调示范点建设。", "9各", "COUNT", count(9, "个", subject="基层议事协调示范点建设")),
    ("连续17年获评先进单位。", "17年", "COUNT", count(17, "年")),
    ("主要从以下五方面作出工作安排。", "五方面", "COUNT", count(5, "方面")),
    # a list that shares one subject; a bare verb that counts the same thing again
    ("新区共受理信访案件22起、144人次。", "144人次", "COUNT", count(144, "人次", subject="信访案件")),
    ("区政府收到行政复议申请27件,受理20件,已结案16件。", "20件", "COUNT", count(20, "件", subject="行政复议申请")),
    ("区政府收到行政复议申请27件,受理20件,已结案16件。", "16件", "COUNT", count(16, "件", subject="行政复议申请")),
    ("全区现行有效规范性文件共计41件,其中本年度新制发4件。", "4件", "COUNT", count(4, "件", subject="全区现行有效规范性文件")),
    # Chinese numerals
    ("召开专题会议三次。", "三次", "COUNT", count(3, "次", subject="专题会议")),
    ("开展法治督察两轮。", "两轮", "COUNT", count(2, "轮", subject="法治督察")),
    ("聘请法律顾问二十五名。", "二十五名", "COUNT", count(25, "名", subject="法律顾问")),
    ("发放宣传资料一千二百份。", "一千二百份", "COUNT", count(1200, "份", subject="宣传资料")),
    ("培育法律明白人三十多名。", "三十多名", "COUNT", count(30, "名", "gt", "法律明白人")),
    # 万/亿, decimals, 余/多 inside the span
    ("受教育群众超10万人次。", "10万人次", "COUNT", count(100000, "人次", "gt", "受教育群众")),
    ("受益群众10余万人。", "10余万人", "COUNT", count(100000, "人", "gt", "受益群众")),
    ("发放普法资料1.5万份。", "1.5万份", "COUNT", count(15000, "份", subject="普法资料")),
    ("共调解矛盾纠纷100余起。", "100余起", "COUNT", count(100, "起", "gt", "矛盾纠纷")),
    ("开展法律咨询、讲座等活动共30多场次。", "30多场次", "COUNT", count(30, "场次", "gt", "活动")),  # X等Y gives Y (guide §4, D6)
    ("圆满完成试点任务,7700 多个政务服务事项实现网上办理。", "7700 多个", "COUNT", count(7700, "个", "gt", "政务服务事项")),
    # qualifiers outside the span
    ("进机关服务时间累积超过800小时。", "800小时", "COUNT", count(800, "小时", "gt", "进机关服务时间")),
    ("接待群众来访约300人次。", "300人次", "COUNT", count(300, "人次", "about", "群众来访")),
    ("办理案件近200件。", "200件", "COUNT", count(200, "件", "lt", "案件")),
    ("开展培训3次以上。", "3次", "COUNT", count(3, "次", "gt", "培训")),
    ("覆盖群众5000人左右。", "5000人", "COUNT", count(5000, "人", "about", "群众")),
    ("平均办理时间不到3天。", "3天", "COUNT", count(3, "天", "lt", "时间")),
    ("审结案件逾50件。", "50件", "COUNT", count(50, "件", "gt", "案件")),
    ("近3年共办理案件120件。", "3年", "COUNT", count(3, "年")),
    # changes of a count
    ("办理案件120件,同比增加15件。", "15件", "COUNT", count(15, "件", subject="案件", change="increase")),
    ("受理信访案件80件,同比减少12件。", "12件", "COUNT", count(12, "件", subject="信访案件", change="decrease")),
    # traditional and full-width input
    ("全年審理行政復議案件６２件。", "62件", "COUNT", count(62, "件", subject="行政复议案件")),
    ("活動覆蓋群眾兩萬人次。", "两万人次", "COUNT", count(20000, "人次", subject="群众")),
    ("受教育群眾超過１０萬人次。", "10万人次", "COUNT", count(100000, "人次", "gt", "受教育群众")),
    ("調解矛盾糾紛１００餘起。", "100余起", "COUNT", count(100, "起", "gt", "矛盾纠纷")),
    ("陽(yáng)新縣調處糾紛5起。", "5起", "COUNT", count(5, "起", subject="纠纷")),
    # -- MONEY ------------------------------------------------------------------------
    ("涉案金额50万元以上纠纷3起。", "50万元", "MONEY", money(500000, "gt", "涉案金额")),
    ("涉案金额50万元以上纠纷3起。", "3起", "COUNT", count(3, "起", subject="纠纷")),
    ("发现管理不规范金额74356万元。", "74356万元", "MONEY", money(743560000, subject="管理不规范金额")),
    ("新区先后投入635万元。", "635万元", "MONEY", money(6350000, subject="新区先后投入")),
    ("投入资金1.2亿元。", "1.2亿元", "MONEY", money(120000000, subject="资金")),
    ("挽回经济损失约300万元。", "300万元", "MONEY", money(3000000, "about", "经济损失")),
    ("发放补助三千元。", "三千元", "MONEY", money(3000, subject="补助")),
    ("投入資金１２０萬元。", "120万元", "MONEY", money(1200000, subject="资金")),
    ("引进外资100万美元。", "100万美元", "MONEY", money(1000000, subject="外资", currency="USD")),
    ("帮其追回执行款共100万元。", "100万元", "MONEY", money(1000000, subject="执行款")),
    # -- RATE ---------------------------------------------------------------------------
    ("今年以来累计出庭应诉案件96件,出庭应诉率100%。", "100%", "RATE", rate(1, "出庭应诉率")),
    ("组织执法资格考试6期,通过率98.59%。", "98.59%", "RATE", rate(0.9859, "通过率")),
    ("共调解矛盾纠纷100余起,调解成功率均达98.5%。", "98.5%", "RATE", rate(0.985, "调解成功率")),
    ("全年共办结案件494件,全年按时处置率99.8%。", "99.8%", "RATE", rate(0.998, "按时处置率")),
    ("持续推进“减证便民”工作,取消和清理比例达到60.8%。", "60.8%", "RATE", rate(0.608, "取消和清理比例")),
    ("政策性文件“预公开”率100%,配套解读率100%。", "100%", "RATE", rate(1, "政策性文件预公开率")),
    ("党员干部法治培训实现100%覆盖。", "100%", "RATE", rate(1, None)),
    # a list of metrics that shares one figure
    (
        "初信初访一次性化解率、群众满意率均保持在98%以上。",
        "98%",
        "RATE",
        rate(0.98, ["初信初访一次性化解率", "群众满意率"], "gt", metrics=["初信初访一次性化解率", "群众满意率"]),
    ),
    ("结案率、一次完成率均为100%。", "100%", "RATE", rate(1, ["结案率", "一次完成率"], metrics=["结案率", "一次完成率"])),
    (
        "确保参学率、参考率、优秀率达到三个100%。",
        "100%",
        "RATE",
        rate(1, ["参学率", "参考率", "优秀率"], metrics=["参学率", "参考率", "优秀率"]),
    ),
    (
        "“一窗”办理率、“一门”进驻事项委托、授权受理率均为100%。",
        "100%",
        "RATE",
        rate(
            1,
            "“一窗”办理率、“一门”进驻事项委托、授权受理率",
            metrics=["“一窗”办理率", "“一门”进驻事项委托、授权受理率"],
        ),
    ),
    # changes and percentage points
    ("全年接收行政复议案件720件,同比增长57.54%。", "57.54%", "RATE", rate(0.5754, "行政复议案件", change="increase")),
    ("全年受理法律援助案件1328件,同比增长36.6%。", "36.6%", "RATE", rate(0.366, "法律援助案件", change="increase")),
    ("行政复议案件同比下降12%。", "12%", "RATE", rate(0.12, "行政复议案件", change="decrease")),
    (
        "不予行政处罚案件量占比同比增加11个百分点。",
        "11个百分点",
        "RATE",
        rate(N, "不予行政处罚案件量占比", change="increase", points=11),
    ),
    ("办案平均时长同比下降2.5个百分点。", "2.5个百分点", "RATE", rate(N, "办案平均时长", change="decrease", points=2.5)),
    ("群众满意率提升至99%。", "99%", "RATE", rate(0.99, "群众满意率")),
    # 百分之…, fractions
    ("群众满意度达到百分之百。", "百分之百", "RATE", rate(1, "群众满意度")),
    ("调解成功率为百分之九十八点五。", "百分之九十八点五", "RATE", rate(0.985, "调解成功率")),
    ("复议纠错案件占比约1/4。", "1/4", "RATE", rate(0.25, "复议纠错案件占比", "about")),
    ("简易程序案件占三分之一。", "三分之一", "RATE", rate(0.333333, "简易程序案件")),
    # qualifiers around a rate
    ("结案率近90%。", "90%", "RATE", rate(0.9, "结案率", "lt")),
    ("满意率超过95%。", "95%", "RATE", rate(0.95, "满意率", "gt")),
    ("上诉率在45%左右。", "45%", "RATE", rate(0.45, "上诉率", "about")),
    ("纠错率不足5%。", "5%", "RATE", rate(0.05, "纠错率", "lt")),
    # traditional and full-width
    ("行政復議決定書網上公開率１００％。", "100%", "RATE", rate(1, "行政复议决定书网上公开率")),
    ("調解成功率達９８.５％。", "98.5%", "RATE", rate(0.985, "调解成功率")),
    # -- LAW ----------------------------------------------------------------------------
    ("贯彻落实《法治政府建设实施纲要(2021—2025年)》。", "《法治政府建设实施纲要(2021—2025年)》", "LAW", law("法治政府建设实施纲要(2021—2025年)", "规划/纲要")),
    ("学习《中华人民共和国黄河保护法》。", "《中华人民共和国黄河保护法》", "LAW", law("中华人民共和国黄河保护法", "法律")),
    ("学习《优化营商环境条例》。", "《优化营商环境条例》", "LAW", law("优化营商环境条例", "行政法规")),
    ("学习《北京市优化营商环境条例》。", "《北京市优化营商环境条例》", "LAW", law("北京市优化营商环境条例", "地方性法规")),
    ("学习《城市绿化条例》。", "《城市绿化条例》", "LAW", law("城市绿化条例", "行政法规")),
    ("印发《起步区行政执法人员管理办法》。", "《起步区行政执法人员管理办法》", "LAW", law("起步区行政执法人员管理办法", "规范性文件")),
    ("贯彻《连云港市行政执法过错责任追究暂行办法》。", "《连云港市行政执法过错责任追究暂行办法》", "LAW", law("连云港市行政执法过错责任追究暂行办法", "规章")),
    ("贯彻《合肥市庐阳区人民政府重大行政决策规则》。", "《合肥市庐阳区人民政府重大行政决策规则》", "LAW", law("合肥市庐阳区人民政府重大行政决策规则", "规范性文件")),
    ("落实《中国共产党问责条例》。", "《中国共产党问责条例》", "LAW", law("中国共产党问责条例", "党内法规")),
    (
        "落实《党政主要负责人履行推进法治建设第一责任人职责规定》。",
        "《党政主要负责人履行推进法治建设第一责任人职责规定》",
        "LAW",
        law("党政主要负责人履行推进法治建设第一责任人职责规定", "党内法规"),
    ),
    ("制定《徐圩新区深化行政审批制度改革实施方案》。", "《徐圩新区深化行政审批制度改革实施方案》", "LAW", law("徐圩新区深化行政审批制度改革实施方案", "方案/计划")),
    ("推动出台《庐阳区法治政府建设规划(2021-2025)》。", "《庐阳区法治政府建设规划(2021-2025)》", "LAW", law("庐阳区法治政府建设规划(2021-2025)", "规划/纲要")),
    ("印发《管委会2023年度重大行政决策事项目录清单》。", "《管委会2023年度重大行政决策事项目录清单》", "LAW", law("管委会2023年度重大行政决策事项目录清单", "其他")),
    (
        "制定《关于印发2020年度区政府常务会议学法计划的通知(庐政办秘〔2020〕9号)》。",
        "《关于印发2020年度区政府常务会议学法计划的通知(庐政办秘〔2020〕9号)》",
        "LAW",
        law("关于印发2020年度区政府常务会议学法计划的通知", "政策文件", "庐政办秘〔2020〕9号"),
    ),
    ("开展民法典专题学习。", "民法典", "LAW", law("民法典", "法律")),
    ("做好新复议法实施的学宣贯。", "复议法", "LAW", law("复议法", "法律")),
    (
        "落實《國務院辦公廳關於加強和改進行政應訴工作的意見》。",
        "《国务院办公厅关于加强和改进行政应诉工作的意见》",
        "LAW",
        law("国务院办公厅关于加强和改进行政应诉工作的意见", "政策文件"),
    ),
]

# Sentences whose subject or metric the learned picker (lawie/pipeline/subjects.py) still misses:
# known misses, kept visible (strict: a fix makes the test fail until it is moved out of this list).
KNOWN_MISSES = {
    ("完成9各基层议事协调示范点建设。", "9各"): "the phrase is cut inside 基层议事协调示范点建设",
    ("新区共受理信访案件22起、144人次。", "144人次"): "a second figure of the same subject",
    ("全区现行有效规范性文件共计41件,其中本年度新制发4件。", "4件"): "the subject stands in the clause before",
    ("受教育群眾超過１０萬人次。", "10万人次"): "受 read as a verb, not part of the noun phrase",
    ("“一窗”办理率、“一门”进驻事项委托、授权受理率均为100%。", "100%"): "a list with a quoted item",
    ("初信初访一次性化解率、群众满意率均保持在98%以上。", "98%"): "the first metric's modifier 初信初访 is cut",
    ("接待群众来访约300人次。", "300人次"): "群众来访 read as a clause without a noun phrase (来访 a verb)",
    ("开展培训3次以上。", "3次"): "培训 alone read as a verb with no noun phrase (as in 培训1170余人次)",
}
PARAMS = [
    pytest.param(*case, marks=pytest.mark.xfail(strict=True, reason=KNOWN_MISSES[case[:2]])) if case[:2] in KNOWN_MISSES else case
    for case in CASES
]

KEYS = {"COUNT": COUNT_KEYS, "MONEY": MONEY_KEYS, "RATE": RATE_KEYS, "LAW": LAW_KEYS}


def test_the_table_is_large_and_covers_every_label():
    assert len(CASES) >= 80
    assert {label for _, _, label, _ in CASES} == {"COUNT", "MONEY", "RATE", "LAW"}


@pytest.mark.parametrize("raw,span,label,expected", PARAMS, ids=[f"{c[2]}:{c[1]}:{i}" for i, c in enumerate(CASES)])
def test_value_table(nlp, raw, span, label, expected):
    doc = nlp(raw)
    ents = [e for e in doc.ents if e.text == span and e.label_ == label]
    assert ents, f"{span} ({label}) not found in {[(e.text, e.label_) for e in doc.ents]}"
    got = ents[0]._.normalized
    assert set(got) == set(KEYS[label])
    for key in KEYS[label]:
        assert got[key] == expected[key], f"{key}: {got[key]!r} != {expected[key]!r}"
        if key in ("value", "points") and expected[key] is not None:
            # whole numbers are ints, others floats
            assert type(got[key]) is type(expected[key]), key


def test_every_entity_of_the_seeds_has_a_value(seed_reports):
    for name, report in seed_reports.items():
        for ent in report.entities:
            assert set(ent.normalized) == set(KEYS.get(ent.label, ("name",))), (name, ent)
            if ent.label in ("COUNT", "MONEY"):
                assert isinstance(ent.normalized["value"], (int, float)), (name, ent)
            if ent.label == "ORG":
                assert ent.normalized == {"name": ent.text}


def test_seed_values_in_context(seed_reports):
    """Values read from the seeds themselves, with their neighbours."""
    by_text = {}
    for name, report in seed_reports.items():
        for ent in report.entities:
            by_text.setdefault((name[:3], ent.text), ent.normalized)
    assert by_text[("000", "62件")]["subject"] == "行政复议案件"
    expected = count(100000, "人次", "gt", "受教育群众")
    got = by_text[("000", "10万人次")]
    assert {k: got[k] for k in got if k != "subject"} == {k: expected[k] for k in expected if k != "subject"}  # subject: a known miss (KNOWN_MISSES)
    assert by_text[("001", "50万元")] == money(500000, "gt", "涉案金额")
    assert by_text[("002", "98.59%")]["value"] == 0.9859
    assert by_text[("002", "57.54%")]["change"] == "increase"
    assert by_text[("002", "11个百分点")]["points"] == 11
    assert by_text[("004", "74356万元")]["value"] == 743560000
    law_004 = next(e for e in seed_reports["004_07ddf58672798297"].entities if e.text.startswith("《合肥市庐阳区"))
    assert law_004.normalized["doc_number"] == "庐政办秘〔202018号"  # garbled in the source, kept as written
    assert law_004.normalized["title"] == "合肥市庐阳区人民政府2020年依法行政和法治政府建设工作安排"


def test_org_name_and_unknown_label(nlp):
    doc = nlp.make_doc("区司法局审核文件16件。")
    doc.ents = [Span(doc, 0, 4, label="ORG"), Span(doc, 6, 9, label="OTHER")]
    ValueReader.default()(doc)
    assert doc.ents[0]._.normalized == {"name": "区司法局"}
    assert doc.ents[1]._.normalized == {}


# -- the number reading itself ----------------------------------------------------------
@pytest.mark.parametrize(
    "text,value",
    [("62", 62), ("1,472", 1472), ("98.5", 98.5), ("二十五", 25), ("两", 2), ("一千二百", 1200), ("百", 100), ("〇点五", 0.5)],
)
def test_read_numeral(text, value):
    assert float(read_numeral(text)) == value


@pytest.mark.parametrize("text", ["", "abc", "件", "十五abc"])
def test_read_numeral_rejects_non_numerals(text):
    assert read_numeral(text) is None


def test_parse_functions_on_odd_input():
    assert parse_quantity("件件") == parse_quantity("") and parse_quantity("").value is None
    assert parse_rate("百分").value is None and parse_rate("1/0").value is None
    assert parse_money("50万元").value == 500000 and parse_money("元").value is None


# -- the component --------------------------------------------------------------------
def test_component_needs_its_lexicons(nlp):
    doc = nlp.make_doc("全年审理行政复议案件62件。")
    doc.ents = [doc.char_span(10, 13, label="COUNT")]
    with pytest.raises(RuntimeError, match="E020"):
        ValueReader(nlp)(doc)
    ValueReader.default()(doc)
    assert doc.ents[0]._.normalized["subject"] == "行政复议案件"


def test_edited_lexicon_survives_to_disk(tmp_path, nlp):
    reader = ValueReader.default()
    data = dict(reader.data)
    data["approx_before"] = {**data["approx_before"], "about": data["approx_before"]["about"] + ["大致"]}
    component = ValueReader(nlp)
    component.set_lexicons({**reader.lexicons, "values.json": data})
    component.to_disk(tmp_path / "values")
    loaded = ValueReader(nlp).from_disk(tmp_path / "values")
    assert loaded.approx("人数大致300人", 4, 8) == "about"
    assert ValueReader(nlp).from_bytes(component.to_bytes()).approx("人数大致300人", 4, 8) == "about"
    assert ValueReader.default().approx("人数大致300人", 4, 8) is None


@pytest.mark.slow
def test_values_survive_multiprocessing(nlp):
    texts = ["全年审理行政复议案件62件,同比增长57.54%。", "受教育群众超10万人次。"]
    one = [[e._.normalized for e in doc.ents] for doc in nlp.pipe(texts)]
    two = [[e._.normalized for e in doc.ents] for doc in nlp.pipe(texts, n_process=2)]
    assert one == two and one[1][0]["approx"] == "gt"


def test_common_numerals_read_without_cn2an_agree_with_it():
    import cn2an

    from lawie.text.numerals import SMALL_NUMERALS

    assert {"一", "十", "十二", "一百零五", "一百一十", "九百九十九", "两", "〇"} <= set(SMALL_NUMERALS)
    for numeral, value in SMALL_NUMERALS.items():
        assert read_numeral(numeral) == value == Decimal(str(cn2an.cn2an(numeral, "normal"))), numeral


@pytest.mark.parametrize("multiplier", ["万", "亿", "万亿"])
def test_a_common_numeral_times_wan_or_yi_agrees_with_cn2an(multiplier):
    import cn2an

    from lawie.text.numerals import SMALL_NUMERALS

    for head in (h for h, value in SMALL_NUMERALS.items() if value):  # cn2an refuses 零万
        numeral = head + multiplier
        assert read_numeral(numeral) == Decimal(str(cn2an.cn2an(numeral, "normal"))), numeral

"""The ORG grammar component (lawie_orgs) and the synthetic ORG data generator."""

from __future__ import annotations

import json
import random
import re
import subprocess
import sys

import pytest
import spacy

from lawie.pipeline.assemble import TOKENIZER
from lawie.pipeline.base import DATA_DIR
from lawie.pipeline.orgs import BODIES_FILE, PLACES_FILE, OrgRules, place_entries


from lawie.train import synth_orgs


@pytest.fixture(scope="module")
def rules_nlp():
    """Tokenizer + entity rules + ORG grammar + merger: no statistical model, so the grammar's proposals stand."""
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": TOKENIZER}})
    for name in ("lawie_entity_rules", "lawie_orgs", "lawie_entities"):
        nlp.add_pipe(name)
    nlp.initialize()
    return nlp


@pytest.fixture(scope="module")
def places() -> dict:
    return json.loads((DATA_DIR / PLACES_FILE).read_text(encoding="utf-8"))


def orgs(nlp, text: str) -> list[str]:
    return [e.text for e in nlp(text).ents if e.label_ == "ORG"]


# -- boundaries ------------------------------------------------------------------
@pytest.mark.parametrize(
    "text, expected",
    [
        ("区政府法律顾问列席区政府常务会19次。", ["区政府", "区政府"]),
        ("省委书记到我市调研。", ["省委"]),
        ("区委书记、区长亲自部署法治建设工作。", ["区委"]),
        ("在区委常委会、区政府常务会上定期研讨法治建设。", ["区委常委会", "区政府"]),
        ("召开区委常委会议专题研究。", ["区委"]),
        ("邀请人大代表、政协委员开展评议。", ["人大", "政协"]),
        ("党工委会议听取法治建设工作情况汇报。", ["党工委"]),
        ("管委会主任办公会审议通过。", ["管委会"]),
        ("市司法局党组书记主持会议。", ["市司法局党组"]),
        # a bare 依法治区委员会 is a name too (as every one in annotations/ is), but never 区委员会
        ("坚持依法治区委员会领导。区委全面依法治区委员会召开会议。", ["依法治区委员会", "区委全面依法治区委员会"]),
    ],
)
def test_meeting_and_role_words_stay_outside(rules_nlp, text, expected):
    assert orgs(rules_nlp, text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("在市委市政府的坚强领导下", ["市委", "市政府"]),
        ("认真落实省委、省政府决策部署", ["省委", "省政府"]),
        ("在县委县政府的领导下,在县政法委的指导下", ["县委", "县政府", "县政法委"]),
        ("开发区党工委、管委会深入贯彻落实", ["开发区党工委", "管委会"]),
        ("与统战部、工商联共同选聘特邀执法监督员", ["统战部", "工商联"]),
        ("认真落实省、市委法治工作会议精神", ["市委"]),
    ],
)
def test_lists_are_split(rules_nlp, text, expected):
    assert orgs(rules_nlp, text) == expected


def test_law_titles_and_other_entities_are_kept(rules_nlp):
    text = "贯彻《国务院关于加强市县政府依法行政的决定》,区司法局办理案件62件。"
    doc = rules_nlp(text)
    labels = [(e.text, e.label_) for e in doc.ents]
    assert ("《国务院关于加强市县政府依法行政的决定》", "LAW") in labels
    assert ("62件", "COUNT") in labels
    assert ("区司法局", "ORG") in labels
    law = next(e for e in doc.ents if e.label_ == "LAW")
    assert not any(e.label_ == "ORG" and law.start <= e.start < law.end for e in doc.ents)


def test_unclosed_law_title_is_not_cut(rules_nlp):
    doc = rules_nlp("印发《市人民政府关于推进法治政府建设的实施方案\n区政府")
    assert [e.label_ for e in doc.ents] == ["LAW", "ORG"]
    assert doc.ents[1].text == "区政府"


def test_proposals_are_features_for_the_ner(rules_nlp):
    doc = rules_nlp("区政府和市委")
    assert [(s.text, s.label_) for s in doc.spans["org_candidates"]] == [("区政府", "ORG"), ("市委", "ORG")]
    assert [t.lemma_ for t in doc] == ["ORG_B", "ORG_I", "ORG_I", "", "ORG_B", "ORG_I"]


def test_rule_entities_are_never_overlapped(rules_nlp):
    doc = rules_nlp("《区政府工作规则》和市委")
    assert [(e.text, e.label_) for e in doc.ents] == [("《区政府工作规则》", "LAW"), ("市委", "ORG")]


# -- what is not an organisation ------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "全区各级行政机关和职能部门严格执法。",
        "各部门、有关单位和执法部门要履行职责。",
        "基层单位和社会组织共同参与。",
        "各乡镇人民政府、街道办事处明确专人负责。",
        "各区政府和全市法院系统依法履职。",
        "乡镇政府和村民委员会推进法治乡村建设。",
        "省、市有关部门到中央汇报。",
        "静海区坚持以人民为中心,完成大兴区国防动员体制改革。",
        "政府部门要依法全面履行政府职能。",
        "成立领导小组和工作专班,完善中心组学习制度。",
        "依托12348安徽法网公开信息,区政府采购项目依法公开。",
        "市委托第三方机构开展评估。",
        "推进社区党委建设,规范城市管理。",
        "建成4个街道矛盾纠纷多元化解中心和13家人民调解委员会。",
        "各村(居)、各单位也建立了相应的“法治政府建设”工作领导小组。",
        "聘请律师事务所律师担任法律顾问。",
        "指导地方应急管理部门和司法部门做好行政许可。",
        "《关于做好年度报告工作的通知》(汕法治办﹝2025﹞8号)",
        "一、认真组织部署落实。",
        "我市局面总体稳定。",
    ],
)
def test_generic_nouns_places_and_sites_are_not_orgs(rules_nlp, text):
    assert orgs(rules_nlp, text) == []


def test_the_body_named_in_a_website_is_an_org(rules_nlp):
    assert orgs(rules_nlp, "在区政府网站和黑龙江省人民政府网公开。") == ["区政府", "黑龙江省人民政府"]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("发布机构: 鲍沟镇\n关于2023年度法治政府建设情况的报告", ["鲍沟镇"]),  # a place that issued the page
        ("发布机构:田村路街道办事处日期:2022-02-15 11:47", ["田村路街道办事处"]),  # run on into the next field
        ("来源:海南省人民政府网 【字体: 打印】", ["海南省人民政府"]),  # the body named in its site
        ("来源:陕西日报 2026-03-16 08:15", ["陕西日报"]),
        ("发文单位\n厅法规处\n发文字号", ["厅法规处"]),  # the value on the next line
        ("发文机关河南省人民政府成文日期", ["河南省人民政府"]),  # an issuer label glued to its value
        ("发文机关:\n双牌县教育局发文日期:2025-02-25", ["双牌县教育局"]),
    ],
)
def test_the_body_named_in_a_page_field_is_an_org(rules_nlp, text, expected):
    assert orgs(rules_nlp, text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("重庆市荣昌区教育委员会关于2024年度法治政府建设情况的报告", ["重庆市荣昌区教育委员会"]),
        ("高新区综治局2021年法治政府建设工作报告", ["高新区综治局"]),
        ("《梧州市人民政府2018年度法治政府建设工作报告》是一份报告。", []),  # nothing inside 《》
        ("本局2021年法治政府建设工作报告", []),  # no place opens it
    ],
)
def test_the_body_opening_a_title_line_is_an_org(rules_nlp, text, expected):
    assert orgs(rules_nlp, text) == expected


@pytest.mark.parametrize(
    "text",
    ["来源:本网 阅读人次: -", "来源:sp20241127", "来源:贵州省2023年度法治政府建设工作", "发文机关:成文日期:", "资金来源于财政专项。"],
)
def test_a_page_field_that_names_no_body_gives_no_org(rules_nlp, text):
    assert orgs(rules_nlp, text) == []


def test_every_issuer_name_in_the_real_annotations_is_gold(rules_nlp):
    from lawie.text.cleaning import clean_text
    from lawie.train.value_accuracy import load

    grammar = rules_nlp.get_pipe("lawie_orgs")
    kept = wrong = 0
    for record in load():
        alignment = clean_text(record["text"])
        gold = {alignment.to_clean(s["start"], s["end"]) for s in record["spans"] if s["label"] == "ORG"}
        for span in grammar.issuer_names(alignment.text):
            kept += 1
            wrong += span not in gold
    assert kept >= 50 and wrong == 0


@pytest.mark.parametrize(
    "text, name",
    [
        ("提请县委依法治县委员会会议学习。", "县委依法治县委员会"),
        ("根据县委全面依法治县办公室工作安排。", "县委全面依法治县办公室"),
        ("县委理论中心组邀请专家授课。", "县委理论中心组"),
        ("与市委督查室开展联合督查。", "市委督查室"),
        ("县委党校(县行政学校)开展培训8期。", "县委党校(县行政学校)"),
        ("列入党校(行政学院)主体班次。", "党校(行政学院)"),
        ("中共浚县县委印发通知。", "中共浚县县委"),  # a county named before its own level word
        ("元谋县县卫生健康局在县委的领导下。", "元谋县县卫生健康局"),
        ("在第十三届全国人民代表大会常务委员会第二十次会议上。", "第十三届全国人民代表大会常务委员会"),  # the term
        ("经河南省第十四届人民代表大会常务委员会审议。", "河南省第十四届人民代表大会常务委员会"),
        ("在市六届人大常委会第九次会议上。", "市六届人大常委会"),
        ("进一步充实局政策法规科的人员力量。", "局政策法规科"),  # a legal-affairs section
        ("办公室设在政策法规股,配备2名干部。", "政策法规股"),
        ("请与市人社局法规处联系。", "市人社局法规处"),
        ("聘请双牌县峦山律师事务所律师担任法律顾问。", "双牌县峦山律师事务所"),  # place + unknown name + body
        ("合作制公证机构(江门市五邑公证处)。", "江门市五邑公证处"),
        ("召开全面依法治县委员会会议1次。", "全面依法治县委员会"),  # a committee without its party committee
        ("在县全面依法治县办的指导下。", "县全面依法治县办"),
        ("相关文件及时向省厅进行了备案。", "省厅"),  # a level word and 局/厅: the bureau of that level
        ("召开局党委会议5次。", "局党委"),  # like 局党组
    ],
)
def test_offices_sections_terms_firms_and_a_county_before_its_level_word(rules_nlp, text, name):
    assert name in orgs(rules_nlp, text)


def test_a_name_whose_start_is_unknown_is_left_to_the_model(rules_nlp):
    # 徐圩 is in no lexicon: labelling only 新区综合执法局 would be a wrong boundary.
    assert orgs(rules_nlp, "组建成立徐圩新区综合执法局。") == []


# -- composition from the lexicon --------------------------------------------------
@pytest.mark.parametrize(
    "name",
    [
        "甘肃省酒泉市敦煌市人民政府",
        "黔东南苗族侗族自治州中级人民法院",
        "中共呼伦贝尔市委",
        "鄂温克族自治旗司法局",
        "四川省司法厅",
        "宁夏回族自治区党委",
        "海南省三亚市吉阳区人民检察院",
        "济南新旧动能转换起步区管委会",
        "国家东中西区域合作示范区(连云港徐圩新区)管委会",
        "阳新县经济开发区党工委",
        "上海市浦东新区张江镇人民政府",
        "北京市海淀区学院路街道办事处",
        "喀什地区行署",
    ],
)
def test_places_compose_with_levels_and_bodies(rules_nlp, name):
    assert orgs(rules_nlp, f"在{name}的领导下,全面推进依法行政。") == [name]


def test_places_drawn_from_the_lexicon_compose(rules_nlp, places):
    """Any county or city of the lexicon, with a body, is one name after a clause boundary."""
    rng = random.Random(8)
    counties = [e[0] for e in place_entries(places, "county") if e[0].endswith(("县", "区", "旗"))]
    cities = [e[0] for e in place_entries(places, "city") if e[0].endswith(("市", "州", "盟"))]
    names = [c + b for c, b in zip(rng.sample(counties, 40), rng.choices(["人民政府", "司法局", "人大常委会", "委政法委", "市场监督管理局"], k=40))]
    names += [c + b for c, b in zip(rng.sample(cities, 20), rng.choices(["中级人民法院", "委", "人民政府办公室", "公安局"], k=20))]
    grammar = rules_nlp.get_pipe("lawie_orgs")  # alone: 三门峡 must not meet the COUNT rule for 三门
    missed = [n for n in names if [t[s:e] for t in [f"。{n}印发通知。"] for s, e in grammar.find(t)] != [n]]
    assert not missed


def test_short_forms_of_places_compose_with_zones(rules_nlp):
    assert orgs(rules_nlp, "支持成都高新区管委会和青岛西海岸新区管委会。") == ["成都高新区管委会", "青岛西海岸新区管委会"]


def test_central_bodies_and_media(rules_nlp):
    text = "在中共中央、国务院领导下,最高人民法院、最高人民检察院、全国人大常委会和司法部联合发文,央视报道。"
    assert orgs(rules_nlp, text) == ["中共中央", "国务院", "最高人民法院", "最高人民检察院", "全国人大常委会", "司法部", "央视"]


def test_named_groups(rules_nlp):
    assert orgs(rules_nlp, "成立了由党工委书记挂帅的法治开发区建设领导小组。") == ["党工委", "法治开发区建设领导小组"]
    assert orgs(rules_nlp, "配强“法治开发区建设工作领导小组”成员。") == ["法治开发区建设工作领导小组"]
    assert orgs(rules_nlp, "党工委理论学习中心组开展集体学法。") == ["党工委理论学习中心组"]


def test_traditional_text_gives_raw_offsets(rules_nlp):
    raw = "在縣委縣政府的領導下"
    doc = rules_nlp(raw)
    assert [(raw[e._.raw_start : e._.raw_end], e.label_) for e in doc.ents] == [("縣委", "ORG"), ("縣政府", "ORG")]


# -- data, errors and serialisation -----------------------------------------------
def test_edited_data_survives_to_disk_and_from_disk(rules_nlp, tmp_path):
    pipe = rules_nlp.get_pipe("lawie_orgs")
    bodies = json.loads(json.dumps(pipe.bodies))
    bodies["central"]["agencies"].append("国家测绘地理信息局")
    bodies["free_bodies"]["departments"].append("测绘院")
    places = dict(pipe.places)
    places["zone"] = list(places["zone"]) + ["灵犀湾新区"]
    fresh = spacy.blank("zh", config={"nlp": {"tokenizer": TOKENIZER}})
    fresh.add_pipe("lawie_orgs").set_lexicons({PLACES_FILE: places, BODIES_FILE: bodies})
    fresh.add_pipe("lawie_entities")
    fresh.to_disk(tmp_path / "p")
    loaded = spacy.load(tmp_path / "p")
    text = "国家测绘地理信息局、灵犀湾新区管委会和区测绘院"
    assert orgs(loaded, text) == ["国家测绘地理信息局", "灵犀湾新区管委会", "区测绘院"]
    assert "国家测绘地理信息局" not in orgs(rules_nlp, text)  # the package's own data is untouched
    again = OrgRules(fresh).from_bytes(fresh.get_pipe("lawie_orgs").to_bytes())
    assert [text[s:e] for s, e in again.find(text)] == ["国家测绘地理信息局", "灵犀湾新区管委会", "区测绘院"]


def test_bad_data_is_refused(tmp_path):
    pipe = OrgRules(None)
    with pytest.raises(ValueError, match="E081"):
        pipe.set_lexicons({PLACES_FILE: {"zone": []}, BODIES_FILE: {"free_bodies": {}}})
    with pytest.raises(OSError, match="E018"):
        pipe.initialize(data_path=str(tmp_path))
    with pytest.raises(RuntimeError, match="E020"):
        pipe.find("区政府")


def test_shipped_pipeline_runs_the_grammar_before_the_model(nlp):
    names = nlp.pipe_names
    assert names.index("lawie_entity_rules") < names.index("lawie_orgs")
    if "ner" in names:
        assert names.index("lawie_orgs") < names.index("ner")


@pytest.mark.slow
def test_grammar_on_the_seeds(rules_nlp, gold, seed_texts):
    """Precision matters as much as recall: the model after the grammar cannot undo its spans."""
    tp = fp = fn = 0
    for record in gold:
        doc = rules_nlp(record["text"])
        pred = {(e._.raw_start, e._.raw_end) for e in doc.ents if e.label_ == "ORG"}
        true = {(s["start"], s["end"]) for s in record["spans"] if s["label"] == "ORG"}
        tp, fp, fn = tp + len(pred & true), fp + len(pred - true), fn + len(true - pred)
    assert tp / (tp + fp) >= 0.95
    assert tp / (tp + fn) >= 0.85


@pytest.mark.slow
def test_two_processes_give_the_same_entities(rules_nlp, seed_texts):
    texts = list(seed_texts.values())[:2]
    one = [[(e.start_char, e.end_char, e.label_) for e in d.ents] for d in rules_nlp.pipe(texts)]
    two = [[(e.start_char, e.end_char, e.label_) for e in d.ents] for d in rules_nlp.pipe(texts, n_process=2)]
    assert one == two and any(any(lab == "ORG" for *_, lab in d) for d in one)


# -- synthetic data ----------------------------------------------------------------
def test_generator_is_deterministic_for_a_seed():
    assert synth_orgs.generate(150, seed=3) == synth_orgs.generate(150, seed=3)
    assert synth_orgs.generate(150, seed=3) != synth_orgs.generate(150, seed=4)


def test_generated_spans_are_valid():
    records = synth_orgs.generate(600, seed=11)
    assert len(records) == 600 and len({r["id"] for r in records}) == 600
    negatives = 0
    for r in records:
        text = r["text"]
        assert not re.search(r"[0-9《》{}]|[零一二两三四五六七八九十百千万亿]元", text), text  # {L} is always filled in
        last = 0
        for s in r["spans"]:
            assert s["label"] == "ORG" and last <= s["start"] < s["end"] <= len(text)
            name = text[s["start"] : s["end"]]
            assert name.strip() == name and not name.endswith(("会议", "书记", "常务会")), name
            last = s["end"]
        negatives += not r["spans"]
    assert 0.05 < negatives / len(records) < 0.4  # sentences without any ORG are part of the data


def test_generated_names_are_varied():
    records = synth_orgs.generate(1000, seed=0)
    names = {r["text"][s["start"] : s["end"]] for r in records for s in r["spans"]}
    assert len(names) > 800  # the model sees many places and bodies, not a few names
    assert {"市委", "市政府"} <= names or {"区委", "区政府"} <= names


def test_generator_rejects_bad_n():
    with pytest.raises(ValueError):
        synth_orgs.generate(-1)


@pytest.mark.slow
def test_generator_command_line(tmp_path):
    out = tmp_path / "synth.jsonl"
    subprocess.run(
        [sys.executable, "-m", "lawie.train.synth_orgs", "--n", "50", "--seed", "0", "-o", str(out)],
        check=True,
        capture_output=True,
    )
    lines = out.read_text(encoding="utf-8").splitlines()
    assert [json.loads(x) for x in lines] == synth_orgs.generate(50, seed=0)


# -- lawie_entities: the NER's organisations beyond the proposals must have the shape of a name --


@pytest.fixture(scope="module")
def check(rules_nlp):
    return rules_nlp.get_pipe("lawie_orgs")


@pytest.mark.parametrize("text", ["湖北省司法厅", "国家税务总局宁波市税务局", "嘉兴市水务投资集团有限公司", "人大", "央视", "县法治政府建设领导小组"])
def test_names_pass_the_check(check, text):
    assert check.is_name(text)


@pytest.mark.parametrize("text", ["培训", "行政机关", "工作经验", "各部门", "全省开展行政执法案卷评查,抽查案卷", "的区政府", "法治建设经验文章"])
def test_non_names_fail_the_check(check, text):
    assert not check.is_name(text)


def test_merger_keeps_rule_entities_and_plausible_ner_names(nlp):
    from lawie.pipeline.extensions import RULES_KEY
    from lawie.pipeline.orgs import EntityMerger

    doc = nlp.make_doc("培训420人次,市司法局利政办发〔2023〕")
    for name in ("lawie_entity_rules", "lawie_orgs"):
        doc = nlp.get_pipe(name)(doc)
    assert [s.text for s in doc.spans[RULES_KEY]] == ["420人次"]
    # What a statistical NER might propose: a non-name, a name, an issuer inside a document number.
    doc.ents = [doc.char_span(0, 2, label="ORG"), doc.char_span(8, 12, label="ORG"), doc.char_span(12, 15, label="ORG")]
    merged = EntityMerger(nlp)(doc)
    assert [(e.text, e.label_) for e in merged.ents] == [("420人次", "COUNT"), ("市司法局", "ORG")]


def test_merger_puts_the_page_s_issuer_before_a_name_across_it(nlp):
    from lawie.pipeline.orgs import EntityMerger

    doc = nlp.make_doc("发布机构 西藏自治区司法厅\n正文")
    for name in ("lawie_entity_rules", "lawie_orgs"):
        doc = nlp.get_pipe(name)(doc)
    doc.ents = [doc.char_span(0, 13, label="ORG")]  # an NER span that runs over the field's label
    merged = EntityMerger(nlp)(doc)
    assert [(e.text, e.label_) for e in merged.ents] == [("西藏自治区司法厅", "ORG")]


def test_ner_action_set_stays_org_only(nlp):
    import lawie

    ner = nlp.get_pipe("ner")
    lawie.extract("《行政复议法》规定,区司法局审理案件62件,同比增长5%,投入50万元。" * 3, nlp=nlp)
    assert ner.labels == ("ORG",) and ner.moves.n_moves == 6


def test_autonomous_prefecture_short_form(nlp):
    import lawie

    ents = [(e.text, e.label) for e in lawie.extract("黔东南州人民政府及时制定实施方案。", nlp=nlp).entities]
    assert ("黔东南州人民政府", "ORG") in ents


@pytest.mark.parametrize(
    "text, expected",
    [
        ("今年,区司法局推进行政执法。", ["区司法局"]),  # from the clause's start to the body word
        ("学习会上,徐圩新区管委会主任讲话", ["学习会", "徐圩新区管委会"]),
        ("依法行政,全面部署,加强法治政府建设。", []),  # 行, 部, 政府 inside 行政, 部署, 政府建设
    ],
)
def test_contexts_run_from_the_clause_start_to_a_body_word(check, text, expected):
    assert [text[s:e] for s, e in check.contexts(text)] == expected


def test_contexts_keep_the_given_names_and_merge(check):
    text = "依法行政,全面部署"
    assert check.contexts(text, [(0, 2)]) == [(0, 2)]
    assert check.contexts("区司法局和县司法局", [(0, 4), (5, 9)]) == [(0, 9)]


def test_contexts_reach_back_at_most_a_name_length(check):
    from lawie.pipeline.orgs import _NAME_MAX

    text = "甲" * 60 + "司法局"
    assert check.contexts(text) == [(60 - _NAME_MAX, 63)]


def test_contexts_neither_cross_nor_enter_a_rule_entity(check):
    text = "投入资金五十万元区政府审理案件"
    assert check.contexts(text) == [(0, 11)]
    assert check.contexts(text, taken=[(4, 8)]) == [(8, 11)]  # 五十万元 (MONEY) starts the stretch
    title = "依据《某某县人民政府办法》,县司法局"
    assert check.contexts(title, taken=[(2, 14)]) == [(14, 18)]  # no body word inside the title counts

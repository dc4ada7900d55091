"""Synthetic ORG training sentences in the register of rule-of-law annual reports.

Names are composed from lawie's own lexicons (``lawie/data/places.json`` and
``org_bodies.json``): many places, levels, bodies and sub-units, full and short
forms, lists (市委市政府, 省委、省政府), names inside meeting and role
expressions (区政府常务会议, 省委书记), and sentences without any ORG (generic
nouns, places used as places, bare level words, websites). Every span is known
by construction, so the statistical NER learns where names start and end
rather than which names the five seeds happen to mention.

Only ORG spans are produced, so the sentences hold no numbers, 《》 titles or
money (a model must not learn that those are not entities).

    python -m lawie.train.synth_orgs --n 2000 --seed 0 -o synth.jsonl

Output records follow the annotations format: ``{"id", "text", "spans"}``.
"""

from __future__ import annotations

import argparse
import json
import random
import re
from pathlib import Path
from typing import Any

from ..pipeline.base import DATA_DIR
from ..pipeline.orgs import BODIES_FILE, PLACES_FILE

LEVEL_CHAR = {"province": "省", "city": "市", "county": "区", "town": "镇"}  # bare level words by level
# Topics of named leading groups and committees (法治政府建设领导小组).
TOPICS = [
    "法治政府建设", "全面依法治区", "全面依法治县", "全面依法治市", "普法依法治理", "法治建设", "安全生产",
    "优化营商环境", "扫黑除恶专项斗争", "行政执法协调监督", "政务公开", "信访", "矛盾纠纷排查化解",
    "重大行政决策", "行政复议体制改革", "综合行政执法改革", "法治乡村建设", "平安建设",
    "生态环境保护", "食品安全", "禁毒", "防范化解重大风险", "乡村振兴", "证明事项告知承诺制",
]
GROUP_HEADS = ["领导小组", "工作领导小组", "工作专班", "指挥部"]
# Zone names that are not administrative divisions, composed as city + name + zone word.
ZONE_NAMES = ["高新技术产业开发区", "经济技术开发区", "经济开发区", "高新区", "临港新区", "综合保税区",
              "新旧动能转换起步区", "航空港经济综合实验区", "现代农业示范区", "产业园区", "滨海新区"]

# Sentence templates. Slots: {O} an organisation, {OL} a leading party or
# government body, {OS} an organisation with a sub-unit, {CT} a court or
# procuratorate, {O2} two organisations written as a list, {GROUP} a named
# group (all labelled); {P} a place used as a place, {G} a generic noun, {R} a
# role word and {M} a meeting word fitting the organisation before them, {T} a
# topic, {SITE} a website or platform (not labelled). [[…]] is literal text
# labelled ORG (人大 in 人大代表).
TEMPLATES = [
    "在{OL}的坚强领导下,{P}坚持以习近平新时代中国特色社会主义思想为指导,深入推进法治政府建设。",
    "在{O2}的正确领导下,在{O}的监督支持下,全面推进依法行政。",
    "在{O2}的坚强领导下,在[[人大]]、[[政协]]的监督支持下,{P}法治建设取得新成效。",
    "{OL}高度重视法治政府建设工作,将其纳入经济社会发展全局统筹谋划。",
    "经{OL}{M}审议通过后,由{O}统一对外公布。",
    "{OL}{R}带头学法,主持召开{OL}{M},专题研究部署法治建设工作。",
    "认真落实{O2}关于法治政府建设的决策部署。",
    "联合{O}、{O}开展专项执法检查,规范行政执法行为。",
    "主动接受{O}的法律监督和{O}的民主监督,认真办理[[人大]]代表建议和[[政协]]委员提案。",
    "自觉接受[[人大]]监督、[[政协]]监督,定期向{O}报告工作,及时向{O}通报情况。",
    "全年办理[[人大]]代表建议和[[政协]]委员提案,按时办结率和满意率均有提升。",
    "{OS}开展集体学法,邀请专家解读习近平法治思想。",
    "{OS}专题学习宪法和行政复议法,{O}{R}作交流发言。",
    "成立由{OL}主要负责同志任组长的{GROUP},统筹推进{T}工作。",
    "{GROUP}召开全体会议,听取{T}工作情况汇报。",
    "全力支持{CT}、{CT}依法履行职能,严格执行生效判决和裁定。",
    "{OL}负责人出庭应诉,行政机关负责人出庭应诉率持续提升。",
    "根据{OL}工作要求,{O}会同{G}完成权责清单调整工作。",
    "{OL}{R}、{OL}{R}亲自部署、亲自协调重大法治问题。",
    "由{O}牵头,联合{O}、{O}进行督导,将法治建设纳入年度考核。",
    "积极配合{O}做好行政执法监督工作,{G}落实行政执法责任制。",
    "{P}将继续在{O2}的领导下,加快建设法治政府。",
    "{O}列席{OL}{M},对重大行政决策事项进行合法性审查。",
    "{OL}与{CT}建立府院联动机制,共同化解行政争议。",
    "{O}{R}在{OL}{M}上作专题讲法。",
    "{O}{R}、{R}多次听取{T}工作汇报。",
    "按照{OL}部署,{O}组织开展{T}专项行动。",
    "{O}及{G}严格落实重大行政决策程序。",
    "{OL}法律顾问列席{OL}{M},提出法律意见。",
    "{O}印发{T}工作方案,明确{G}职责分工。",
    "认真落实{O}、{O}关于{T}的部署要求,推动各项任务落地见效。",
    "邀请[[人大]]代表、[[政协]]委员和群众代表对{O}执法情况开展监督评议。",
    "{OL}收到的行政复议申请全部依法办结,无一起复议决定被{CT}撤销。",
    "认真研究落实{CT}发出的检察建议,推动问题整改到位。",
    "{O}、{O}、{O}等单位共同参与矛盾纠纷多元化解。",
    "依托{O},为群众提供一站式法律服务。",
    "{O}指导{P}各镇街完善村规民约。",
    "报请{OL}批准后,{O}按程序组织实施。",
    "做好{OL}和省、[[市政府]]取消、下放行政审批事项的衔接落实。",
    "{O}被评为{T}工作先进单位。",
    "[[央视]]、{MEDIA}等媒体多次报道{P}的经验做法。",
    "{O}组织{G}工作人员参加行政执法资格考试。",
    "强化{O}对{G}的监督,推动{G}依法履行职责。",
    "{OL}将{O}作为固定列席单位,对重大决策开展法治审核。",
    "与{O}、{O}共同选聘特邀行政执法监督员。",
    "{OL}{R}带头讲授法治专题党课,{O}班子成员参加学习。",
    "{O}在{OL}常务会上汇报{T}工作情况。",
    "{OL}和{OL}联合印发实施意见。",
    "{O2}多次专题研究{T}工作,{OL}{R}作出批示。",
    "落实{OL}、{OL}要求,{O}完成机构改革任务。",
    "{P}各部门在{OL}的统一部署下协同推进{T}工作。",
    "{MEDIA}刊发{O}推进{T}的经验做法。",
    "{O}与{O}签订合作协议,共建法治化营商环境。",
    "[[省委]]、[[省政府]]和{OL}对{P}法治建设给予充分肯定。",
    "依据中央和{OL}部署,{O}{R}召开{M}推进落实。",
]
# Sentences without an organisation: generic nouns, places as places, bare levels, sites.
NEGATIVE = [
    "{P}坚持把法治政府建设放在经济社会发展全局中统筹谋划。",
    "全区各级{G}严格落实行政执法三项制度。",
    "{G}和{G}要切实履行法治建设职责。",
    "省、市有关部门多次到{P}调研指导法治政府建设工作。",
    "{P}法治政府建设取得明显成效,群众满意度持续提升。",
    "各乡镇人民政府、街道办事处要明确专人负责普法工作。",
    "依托{SITE}及时发布政务信息,方便群众查询办理。",
    "本级政府和上级政府之间的事权划分更加清晰。",
    "推动{G}、{G}和{G}共同参与基层治理。",
    "政府部门要依法全面履行政府职能。",
    "中央和省、市部署的各项改革任务在{P}落地见效。",
    "各级领导干部带头尊法学法守法用法,领导小组成员单位各司其职。",
    "{P}成立工作专班,中心组学习制度化常态化。",
    "{P}下辖各镇街和{G}均建立了法律顾问制度。",
    "乡镇政府和村民委员会共同推进法治乡村建设。",
    "通过{SITE}受理群众诉求,办结率稳步提升。",
    "{P}深入开展{T}工作,{G}积极参与。",
    "各县区政府和市直各部门要加强协作配合。",
    "全市法院系统和检察机关依法履职。",
    "充分发挥{G}作用,推动{T}取得实效。",
]
SITE_TAILS = ["政务服务网", "人民政府网", "政府网站", "法网", "公共法律服务平台", "行政执法监督平台", "一体化政务服务平台", "政务服务系统"]


class _Lexicon:
    """The places and bodies of lawie's ORG grammar, in the shapes the generator draws from."""

    def __init__(self, places: dict[str, Any], bodies: dict[str, Any]) -> None:
        skip = ("香港特别行政区", "澳门特别行政区", "台湾省")
        self.provinces = [e for e in places["province"] if e[0] not in skip]
        # (province, city entry) and (city, county entry) pairs keep parents and children coherent.
        self.cities = [(p, e) for p, group in sorted(places["city"].items()) if p not in skip for e in group]
        self.counties = [
            (c if "直辖" not in c else "", e)
            for c, group in sorted(places["county"].items())
            for e in group
            if e[0].endswith(("县", "区", "市", "旗"))
        ]
        self.towns = [(n, lv) for lv, names in sorted(places["town"].items()) for n in names.split("|") if n]
        self.zones = places.get("zone", [])
        self.bodies = bodies
        self.groups: dict[str, list[str]] = {}
        for kind in ("bound_bodies", "free_bodies"):
            for group, words in bodies[kind].items():
                if not group.startswith("_"):
                    self.groups[f"{kind.split('_')[0]}:{group}"] = words
        self.central = [w for k, v in bodies["central"].items() if not k.startswith("_") for w in v]
        self.media = bodies["media"]
        self.generic = [g for g in bodies["generic_nouns"] if len(g) > 1 and g not in ("政府", "中央", "委员会", "指挥部")]
        self.sub_units = bodies["sub_units"]
        self.standalone = [w for g in ("party", "government", "congress", "judicial") for w in bodies["free_bodies"][g]]


def _load() -> _Lexicon:
    def read(name: str) -> dict[str, Any]:
        return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))

    return _Lexicon(read(PLACES_FILE), read(BODIES_FILE))


# Roles and meetings that fit a body, by the end of its name (first match wins).
_HEAD_BY_LEVEL = {"省": "省长", "市": "市长", "州": "州长", "县": "县长", "区": "区长", "旗": "旗长", "镇": "镇长", "乡": "乡长"}
_ROLES = [
    (("政府", "行署"), ["{head}", "副{head}", "主要负责同志", "分管领导", "常务副{head}"]),
    (("委", "党委", "党工委", "工委", "中共中央"), ["书记", "副书记", "常委", "主要负责同志", "委员"]),
    (("人大常委会",), ["主任", "副主任", "委员"]),
    (("人大",), ["代表"]),
    (("政协",), ["主席", "副主席"]),
    (("法院", "中院"), ["院长", "副院长"]),
    (("检察院",), ["检察长", "副检察长"]),
    (("局", "分局"), ["局长", "副局长"]),
    (("厅",), ["厅长", "副厅长"]),
    (("部",), ["部长", "副部长"]),
    (("管委会", "办", "办公室", "中心", "委员会", "委"), ["主任", "副主任"]),
    (("领导小组", "专班", "指挥部"), ["组长", "副组长", "成员"]),
    (("所",), ["所长"]),
]
_MEETINGS = [
    (("政府",), ["常务会议", "常务会", "全体会议", "常务会会前学法"]),
    (("委", "党工委", "工委"), ["常委会议", "全体会议", "会议", "专题会议", "全会"]),
    (("人大常委会",), ["会议", "主任会议"]),
    (("管委会",), ["主任办公会", "会议"]),
    (("局", "厅"), ["局长办公会", "办公会议", "会议"]),
    (("领导小组", "专班", "指挥部"), ["会议", "全体会议", "专题会议"]),
]


class _Composer:
    """Composes organisation names and the other slot fillers from one random stream."""

    def __init__(self, lex: _Lexicon, rng: random.Random) -> None:
        self.lex = lex
        self.rng = rng

    def pick(self, seq):
        return seq[self.rng.randrange(len(seq))]

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    # -- places ---------------------------------------------------------------
    def _place(self, kind: str) -> str:
        """A full place name of ``kind``, sometimes after its parent (北京市大兴区, 济南高新区)."""
        if kind == "province":
            return self.pick(self.lex.provinces)[0]
        if kind == "city":
            province, city = self.pick(self.lex.cities)
            return (province + city[0]) if self.chance(0.15) and province != city[0] else city[0]
        if kind == "county":
            city, county = self.pick(self.lex.counties)
            if self.chance(0.25) and city and city != county[0]:
                parent = city if self.chance(0.7) else self._short_city(city)
                return parent + county[0]
            return county[0]
        if kind == "town":
            name, level = self.pick(self.lex.towns)
            return name + level
        # a zone: a known one, or a city's short name + a zone name
        if self.chance(0.4) and self.lex.zones:
            return self.pick(self.lex.zones)
        _, city = self.pick(self.lex.cities)
        return (city[1] if len(city) > 1 else city[0]) + self.pick(ZONE_NAMES)

    def _short_city(self, city: str) -> str:
        for _, entry in self.lex.cities:
            if entry[0] == city and len(entry) > 1:
                return entry[1]
        return city

    def place_as_place(self) -> str:
        return self._place(self.pick(["province", "city", "county", "county", "town", "zone"]))

    # -- organisations --------------------------------------------------------
    def _body(self, level: str) -> str:
        for _ in range(20):
            body = self.pick(self.lex.groups[self.pick(self.lex.bodies["level_bodies"][level])])
            if ("中级" in body or "中院" in body) and level != "city":
                continue
            if ("高级" in body or "高院" in body) and level != "province":
                continue
            if level == "zone" and body in ("行署",):
                continue
            return body.replace("{L}", LEVEL_CHAR.get(level, "区"))
        return "人民政府"

    def org(self) -> str:
        """One organisation name, drawn over the kinds of name these reports use."""
        r = self.rng.random()
        if r < 0.08:
            name = self.pick(self.lex.central)
        elif r < 0.10:
            name = self.pick(self.lex.media)
        elif r < 0.20:
            name = self.pick(self.lex.standalone).replace("{L}", self.pick("省市县区"))  # 人大, 政协, 依法治县办 …
        elif r < 0.25:
            name = self.group()
        else:
            name = self._local(self.pick(["province", "city", "city", "county", "county", "county", "town", "zone"]))
        if self.chance(0.06):
            name = self.with_sub_unit(name)
        return name

    def _local(self, level: str, body: str | None = None) -> str:
        """A local body: place or level word + body (济南市委, 区政府, 阳新县司法局, 开发区党工委)."""
        body = body or self._body(level)
        if level == "zone":
            prefix = self._place("zone") if self.chance(0.6) else self.pick(["开发区", "高新区", "新区", "示范区", "园区"])
            if body.startswith(("委", "依法治")):
                body = self.pick(["党工委", "工委", "管委会"])
            return prefix + body
        if level == "town":
            prefix = self.pick(["镇", "乡", "街道"]) if self.chance(0.35) else self._place("town")
            if prefix.endswith("街道") and body in ("人民政府", "政府", "党委", "人大主席团"):
                body = self.pick(["办事处", "党工委", "工委"])
            elif not prefix.endswith("街道") and body in ("办事处", "党工委", "工委"):
                body = self.pick(["人民政府", "党委"])
            if prefix == "街道" and body == "办事处":
                body = "党工委"  # a bare 街道办事处 is a category (各乡镇人民政府、街道办事处)
            return prefix + body
        bare = self.chance(0.45)
        prefix = LEVEL_CHAR[level] if bare else self._place(level)
        if prefix.endswith("自治区") and body.startswith("委"):
            body = "党" + body  # 自治区党委, not 自治区委
        if not bare and body.startswith(("委", "依法治")) and self.chance(0.15):
            prefix = "中共" + prefix  # 中共济南市委
        return prefix + body

    def leader(self) -> str:
        """A leading body: a party committee or government, or a central one."""
        r = self.rng.random()
        if r < 0.1:
            return self.pick(["中共中央", "国务院", "党中央", "省委", "省政府"])
        if r < 0.2:
            return self._local("zone", self.pick(["党工委", "管委会", "工委"]))
        level = self.pick(["province", "city", "county", "county", "town"])
        if level == "town":
            return self._local("town", self.pick(["党委", "人民政府", "政府", "党工委", "办事处"]))
        return self._local(level, self.pick(["委", "政府", "人民政府", "委", "政府"]))

    def court(self) -> str:
        level = self.pick(["city", "county", "county"])
        body = self.pick(["人民法院", "法院", "人民检察院", "检察院"] + (["中级人民法院"] if level == "city" else []))
        if self.chance(0.2):
            return self.pick(["法院", "检察院", "人民法院"])
        return self._local(level, body)

    def with_sub_unit(self, name: str) -> str:
        """Add a sub-unit that fits the body: 司法局党组, 区政府机关党委, 党工委理论学习中心组."""
        if name.endswith(("局", "厅", "政府", "法院", "检察院", "常委会", "管委会")):
            return name + self.pick(["党组", "机关党委", "党组理论学习中心组", "办公室"])
        if name.endswith("委") and not name.endswith(("卫健委", "发改委", "国资委", "政法委")):
            return name + self.pick(["理论学习中心组", "中心组", "办公室"])
        return name

    def org_with_sub_unit(self) -> str:
        for _ in range(20):
            name = self.with_sub_unit(self.leader() if self.chance(0.5) else self.org())
            if name.endswith(("党组", "中心组", "党委", "办公室")):
                return name
        return "区委理论学习中心组"

    def group(self) -> str:
        """A named group: (organisation +) topic + head (区法治政府建设领导小组)."""
        topic = self.pick(TOPICS)
        head = self.pick(GROUP_HEADS)
        r = self.rng.random()
        owner = "" if r < 0.5 else (self.pick(["区", "市", "县", "区委", "市委", "县委", "党工委"]) if r < 0.8 else self._place("county"))
        return owner + topic + head

    def pair(self) -> list[str]:
        """Two organisations written as a list: 市委市政府, 省委、省政府, 县委和县政府."""
        level = self.pick(["省", "市", "县", "区", "州", "镇"])
        sep = self.pick(["", "、", "和", "、", ""])
        if self.chance(0.6):
            a, b = level + ("党委" if level == "镇" else "委"), level + "政府"
        elif self.chance(0.5):
            place = self._place(self.pick(["city", "county"]))
            a = ("中共" if self.chance(0.3) else "") + place + "委"
            b = place + self.pick(["人民政府", "政府"])
        else:
            a, b = self.leader(), self.leader()
        return [a, sep, b]

    def role(self, org: str | None) -> str:
        return self._fitting(org, _ROLES, ["主要负责同志", "负责人", "分管领导"])

    def meeting(self, org: str | None) -> str:
        return self._fitting(org, _MEETINGS, ["会议", "专题会议"])

    def _fitting(self, org: str | None, table, default: list[str]) -> str:
        choices = default
        if org:
            for ends, words in table:
                if org.endswith(ends):
                    choices = words
                    break
        word = self.pick(choices)
        if "{head}" in word:
            level = next((c for c in reversed(org or "") if c in _HEAD_BY_LEVEL), "区")
            word = word.replace("{head}", _HEAD_BY_LEVEL[level])
        return word

    def generic(self) -> str:
        return self.pick(self.lex.generic)

    def site(self) -> str:
        return self.place_as_place() + self.pick(SITE_TAILS)


_SLOT = re.compile(r"(\{(?:O2|OS|OL|O|CT|GROUP|MEDIA|P|G|R|M|T|SITE)\}|\[\[[^\]]+\]\])")


def _fill(template: str, comp: _Composer) -> tuple[str, list[dict[str, Any]]]:
    """Fill a template's slots; return the text and its ORG spans."""
    text: list[str] = []
    spans: list[dict[str, Any]] = []
    pos = 0
    last_org: str | None = None
    makers = {"{O}": comp.org, "{OL}": comp.leader, "{OS}": comp.org_with_sub_unit, "{CT}": comp.court,
              "{GROUP}": comp.group, "{MEDIA}": lambda: comp.pick(comp.lex.media)}
    for piece in _SLOT.split(template):
        if not piece:
            continue
        orgs: list[str] | None = None
        if piece == "{O2}":
            orgs = comp.pair()
        elif piece in makers:
            orgs = [makers[piece]()]
        elif piece.startswith("[["):
            orgs = [piece[2:-2]]
        if orgs is not None:
            for i, part in enumerate(orgs):
                if i % 2 == 0:
                    spans.append({"start": pos, "end": pos + len(part), "label": "ORG"})
                    last_org = part
                text.append(part)
                pos += len(part)
            continue
        if piece == "{P}":
            piece = comp.place_as_place()
        elif piece == "{G}":
            piece = comp.generic()
        elif piece == "{R}":
            piece = comp.role(last_org if text and text[-1] == last_org else None)
        elif piece == "{M}":
            piece = comp.meeting(last_org if text and text[-1] == last_org else None)
        elif piece == "{T}":
            piece = comp.pick(TOPICS)
        elif piece == "{SITE}":
            piece = comp.site()
        text.append(piece)
        pos += len(piece)
    return "".join(text), spans


def _valid(text: str, spans: list[dict[str, Any]]) -> bool:
    """No digits, titles or overlapping spans; adjacent names must not read as one place chain."""
    if re.search(r"[0-9《》〈〉]|[零〇一二两三四五六七八九十百千万亿]+[万亿]?元", text):
        return False
    last = 0
    for s in spans:
        if s["start"] < last or s["end"] <= s["start"]:
            return False
        last = s["end"]
    return True


def generate(n: int, seed: int = 0) -> list[dict]:
    """``n`` synthetic records ``{"id", "text", "spans"}`` with ORG spans; the same for the same seed."""
    if not isinstance(n, int) or n < 0:
        raise ValueError(f"n must be a non-negative int, got {n!r}")
    rng = random.Random(seed)
    comp = _Composer(_load(), rng)
    records: list[dict] = []
    while len(records) < n:
        template = comp.pick(NEGATIVE) if rng.random() < 0.15 else comp.pick(TEMPLATES)
        text, spans = _fill(template, comp)
        if not _valid(text, spans):
            continue
        records.append({"id": f"synth-{seed}-{len(records):06d}", "text": text, "spans": spans})
    return records


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=2000, help="number of sentences")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("-o", "--output", type=Path, required=True, help="JSONL file to write")
    args = parser.parse_args()
    records = generate(args.n, args.seed)
    with args.output.open("w", encoding="utf-8") as f:
        for rec in records:
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    orgs = sum(len(r["spans"]) for r in records)
    print(f"wrote {len(records)} sentences with {orgs} ORG spans to {args.output}")


if __name__ == "__main__":
    main()

"""What a figure counts or measures, read from the sentence: a small learned span picker.

The ``subject`` of a ``COUNT`` and the ``metric`` of a ``RATE`` are a noun
phrase of the clause the number stands in, before it (``审理行政复议案件62件``)
or after it (``检查46家企业``), without the verb, determiner, measure word or
qualifier around it. Instead of lists of verbs and nouns, two linear models
over characters read the boundaries of that phrase:

1. the **anchor**: where the phrase touches the number side. Candidates are
   every position of the clause up to :data:`_MAX_GAP_B` characters before the
   number (the phrase ends there; the characters between it and the number —
   ``共``, ``达到``, ``均达`` — are the *gap*) or after it (the phrase starts
   there), plus ``NULL`` (the sentence names nothing) and ``PREV`` (a bare verb
   such as ``审结2418件`` counts what the figure before it counted);
2. the **far edge**: where the phrase starts (or ends, after the number),
   up to :data:`_MAX_LEN` characters away from the anchor.

Each candidate is described by about twenty features, each a template and a value
(the characters on both sides of a boundary, the gap, the measure word, the length);
each model is a softmax ranker with an L2 penalty, trained on the gold spans of the real
annotations (``lawie.train.subjects``) and stored as plain JSON
(``lawie/data/subjects.json``, in :class:`~lawie.pipeline.sections.LinearModel`'s format).
Reading a figure costs a few hundred dictionary look-ups, nothing per document.

:func:`finish` then moves the phrase's start past what the annotation guide leaves out
(a time frame, a determiner, a scope, the body holding an event, a clause describing the
noun) and :func:`normalise` puts it in the form every report shares: no quotation marks,
no determiner (``各类``) in front of a list item, no trailing particle; a rate shared by a
list of metrics gives a list.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from itertools import repeat
from pathlib import Path
from typing import Any


from .sections import LinearModel

DATA_FILE = Path(__file__).parents[1] / "data" / "subjects.json"


# The word table (lawie/data/subject_words.json), installed by the values component when it
# compiles its lexicons (:func:`install_words`); the feature functions below read it.
_WORDS: dict[str, str] = {}  # word -> part of speech
_PAIRS: set[str] = set()  # two-character words: a phrase edge inside one (规|范性文件) is unlikely
_VERBS: set[str] = set()  # two-character words tagged v


def install_words(table: dict[str, Any]) -> None:
    """Make ``table`` (``{"words": {word: part of speech}, "pairs": "…"}``) the word table."""
    words = table.get("words", {})
    pairs = table.get("pairs", "")
    _WORDS.clear()
    _WORDS.update(words)
    _PAIRS.clear()
    _PAIRS.update(pairs[i : i + 2] for i in range(0, len(pairs), 2))
    _VERBS.clear()
    _VERBS.update(w for w, t in words.items() if t == "v" and len(w) == 2)


_CROSS = ("000", "001", "010", "011", "100", "101", "110", "111")


def _cross(text: str, i: int) -> str:
    """Is there a two-character word across position ``i`` (and none on either side)?"""
    pairs = _PAIRS
    return _CROSS[((i > 0 and text[i - 1 : i + 1] in pairs) << 2) | ((i > 1 and text[i - 2 : i] in pairs) << 1) | (text[i : i + 2] in pairs)]


def _pos(word: str) -> str:
    """The part of speech of a one- or two-character word (``n`` for nouns and unknown words)."""
    return _WORDS.get(word, "n") if word else "^"


_CLAUSE_END = set(",。;:!?\n")
_SENTENCE_END = "。;!?\n"
_MAX_GAP_B = 8  # characters between the number and the near edge of a phrase before it
_MAX_GAP_A = 6  # … and after it
_MAX_LEN = 32  # characters of the phrase
_PREV_REACH = 160  # how far back a PREV figure may stand
_DIGIT = re.compile(r"\d")
_ZEROS = repeat(0.0)  # the weight of a value a table lacks
_QUOTES = re.compile(r"[“”‘’\"']")
_DETERMINERS = ("各类", "各项", "各种", "各级", "各")
# Where, not what (guide §4, D1): 全区被监督单位 → 被监督单位. 全国, 全省 and 全市 open designations
# (全省法治政府建设综合示范地区, 全市先行措施) and stay before a count; no rate is a designation.
_SCOPES = ("全区", "全县", "全镇", "全乡", "全旗", "全局", "全委", "全系统", "本级")
_RATE_SCOPES = _SCOPES + ("全国", "全省", "全市")
# The verbs that hold, organise, carry out or use the counted thing (annotation guide, D2), and the
# nouns they make with 人员/人数/时限 that stay whole (D6: 参加人数).
_HOLDING_VERBS = frozenset(("开展", "召开", "举办", "组织", "主持", "邀请", "利用", "出动", "准予", "办理", "发放", "参加", "走访"))
_VERB_NOUNS = ("人员", "人数", "时限")
# A convened meeting counted with what it did (召开党委会议专题研究法治工作3次): the meeting is the
# subject (guide §4, D1), before the number or after it (召开一次党委会议听取…).
_MEETING = r"(?P<meeting>[^,。;:、()]{1,16}?(?:会议|会))(?:专题|深入|集中)?(?:研究|听取|审议|学习|部署|传达|研讨)"
_CONVENED_BEFORE = re.compile(rf"召开{_MEETING}[^,。;:]{{0,20}}$")
_CONVENED_AFTER = re.compile(_MEETING)
# Who held an event counted in 次/场/期 is not part of it either (D1): 党组理论学习中心组学法4次 → 学法.
_EVENT_UNITS = frozenset(("次", "场", "场次", "期", "轮"))
_ACTOR = re.compile(r"(?:中心组|班子|干部职工|主要领导|负责人|机关)(?=..)")
_TRAILING_WORDS = ("同比", "环比", "的", "了", "等", "和", "及", "与", "或", "、", "中", "均", "分别", "由", "从")
_RATE_SPLIT = re.compile(r"(?<=[率度比数])(?:和|与|及)")  # 参与率, 及格率 are one word


_BUCKETS = tuple(str(n) if n <= 6 else ("7-10" if n <= 10 else ("11-16" if n <= 16 else "17+")) for n in range(18))


def _bucket(n: int) -> str:
    return _BUCKETS[n] if n < 18 else "17+"


def _kind(ch: str) -> str:
    if not ch:
        return "E"
    if ch.isdigit():
        return "D"
    if "\u3400" <= ch <= "\u9fff":
        return "C"
    if ch in "“”‘’\"":
        return "Q"
    if ch in "()":
        return "P"
    if ch.isascii() and ch.isalpha():
        return "L"
    return "O"


_LAST_BOUNDS: list = [None, None]


def clause_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The clause around ``text[start:end]``: up to a comma, full stop, colon … on each side."""
    key = (id(text), len(text), start, end)
    if _LAST_BOUNDS[0] == key:
        return _LAST_BOUNDS[1]
    _LAST_BOUNDS[1] = _clause_bounds(text, start, end)
    _LAST_BOUNDS[0] = key
    return _LAST_BOUNDS[1]


def _clause_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    floor, ceil = max(0, start - 200), min(len(text), end + 120)
    lo = max([text.rfind(c, floor, start) + 1 for c in _CLAUSE_END] + [floor])
    hi = min([i for i in (text.find(c, end, ceil) for c in _CLAUSE_END) if i >= 0] + [ceil])
    return lo, hi


# -- candidates and their features -------------------------------------------
#
# A feature is a template name and a string value; the model's weights are written as
# ``"name=value"`` strings (training, ``lawie/data/subjects.json``) and read back as one
# value → weight table per template (:class:`Weights`), so a candidate is scored by one
# dictionary look-up per template, without building the strings. A value of ``None`` means
# the template does not fire.


def _templates(*names: str) -> dict[str, tuple[str, ...]]:
    """Template names for each side of the number: ``B|near1``, ``A|near1`` …"""
    return {side: tuple(f"{side}|{n}" for n in names) for side in "BA"}


SIDE = _templates("bias", "lab", "unit", "after", "after1")  # the same for every anchor on one side
ANCHOR = _templates(
    "near1", "near2", "out1", "cross", "npos2", "npos1", "gpos", "gap", "lab|gap", "gaplen", "gapL2", "gapR2",
    "gapdigit", "gapparen", "unit|gap0", "hint",
)
EDGE = {
    "B": _templates(
        "len", "lab|len", "unit|len", "l1", "l2", "f1", "f2", "lk", "cross", "lpos2", "lpos1", "fpos2", "fpos1",
        "lpos2fpos2", "head2", "unit|f1", "innerv", "unit|innerv", "hint", "list", "paren", "openquote", "l1f1",
    )["B"],
    "A": _templates(
        "len", "lab|len", "unit|len", "r1", "r2", "e1", "e2", "rk", "cross", "rpos1", "rpos2", "epos2",
        "epos2rpos2", "unit|e1", "unit|r1", "innerv", "unit|innerv", "hint", "list", "paren", "openquote", "e1r1",
    )["A"],
}
NULL = {
    tag: tuple(f"{tag}|{n}" for n in ("bias", "lab", "unit", "pre1", "pre2", "post1", "post2", "blen", "alen", "prev", "first2"))
    for tag in ("NULL", "PREV")
}


def as_strings(names: Sequence[str], values: Sequence[str | None]) -> list[str]:
    """The ``"name=value"`` strings of a candidate (what training sees)."""
    return [f"{n}={v}" for n, v in zip(names, values) if v is not None]


class Weights:
    """One model of ``subjects.json`` as a value → weight table per template name."""

    def __init__(self, model: LinearModel) -> None:
        self.tables: dict[str, dict[str, float]] = {}
        for feature, w in zip(model.data["features"], model.data["coef"][0]):
            name, _, value = feature.partition("=")
            self.tables.setdefault(name, {})[value] = w
        self._aligned: dict[tuple[str, ...], list[dict[str, float]]] = {}

    def aligned(self, names: tuple[str, ...]) -> list[dict[str, float]]:
        """The tables of ``names``, in order (an empty one for a template the model never weighted)."""
        tables = self._aligned.get(names)
        if tables is None:
            tables = self._aligned[names] = [self.tables.get(n, {}) for n in names]
        return tables

    @staticmethod
    def score(tables: Sequence[dict[str, float]], values: Sequence[str | None]) -> float:
        return sum(map(dict.get, tables, values, _ZEROS))


def anchors(text: str, start: int, end: int, floor: int = 0, ceiling: int | None = None) -> Iterator[tuple[str, int]]:
    """``("B", j)``: a phrase ending at ``j`` before the number; ``("A", i)``: one starting at ``i`` after it.
    A phrase before the number starts after ``floor`` (the end of the figure before it), one after
    it ends before ``ceiling`` (the start of the figure after it)."""
    lo, hi = clause_bounds(text, start, end)
    lo, hi = max(lo, floor), hi if ceiling is None else min(hi, ceiling)
    for j in range(start, max(lo, start - _MAX_GAP_B) - 1, -1):
        if j > lo and _kind(text[j - 1]) in "CLP" or (j > lo and text[j - 1] in "”》"):
            yield "B", j
    for i in range(end, min(hi, end + _MAX_GAP_A)):
        if _kind(text[i]) in "CLP" or text[i] in "“《":
            yield "A", i


def side_features(text: str, end: int, label: str, unit: str | None) -> list[str]:
    """Values of :data:`SIDE`: what every anchor on one side shares."""
    after = text[end : end + 1]
    return ["1", label, unit or "-", _kind(after), after]


def anchor_features(
    text: str, start: int, end: int, label: str, unit: str | None, side: str, pos: int, hint: str | None = None
) -> list[str | None]:
    """Values of :data:`ANCHOR` for the near edge at ``pos``."""
    get = _WORDS.get
    if side == "B":
        gap = text[pos:start]
        near1, near2 = text[pos - 1], text[pos - 2 : pos] if pos > 1 else text[:pos]
        out1 = text[pos : pos + 1]
        g2 = gap[:2]
        hinted = str(_unquoted(text[max(0, pos - len(hint) - 6) : pos]).endswith(hint)) if hint else "none"
    else:
        gap = text[end:pos]
        near1, near2 = text[pos], text[pos : pos + 2]
        out1 = text[pos - 1 : pos] if pos > end else ""
        g2 = gap[-2:]
        hinted = str(_unquoted(text[pos : pos + len(hint) + 6]).startswith(hint)) if hint else "none"
    values = [near1, near2, out1, _cross(text, pos), get(near2, "n"), get(near1, "n"), _pos(g2)]
    if len(gap) <= 4:  # a short gap is a feature as it stands; a long one by its length and ends
        values += (gap, f"{label}|{gap}", None, None, None)
    else:
        values += (None, None, _bucket(len(gap)), gap[:2], gap[-2:])
    values += (
        "1" if _DIGIT.search(gap) else None,
        "1" if "(" in gap or ")" in gap else None,
        f"{unit or '-'}|{not gap}",
        hinted,
    )
    return values


def null_features(text: str, start: int, end: int, label: str, unit: str | None, has_prev: bool) -> list[str]:
    """Values of :data:`NULL` (the same for ``NULL`` and ``PREV``)."""
    lo, hi = clause_bounds(text, start, end)
    return [
        "1",
        label,
        unit or "-",
        text[start - 1 : start],
        text[max(0, start - 2) : start],
        text[end : end + 1],
        text[end : end + 2],
        _bucket(start - lo),
        _bucket(hi - end),
        str(has_prev),
        text[lo : lo + 2],
    ]


def edge_candidates(
    text: str, start: int, end: int, label: str, unit: str | None, side: str, pos: int,
    hint: str | None = None, floor: int = 0, ceiling: int | None = None,
) -> Iterator[tuple[int, list[str | None]]]:
    """``(far edge, values of EDGE[side])`` for each phrase anchored at ``pos``: its start before
    the number, or its end after it, up to :data:`_MAX_LEN` characters away, inside the clause, after
    ``floor`` and before ``ceiling``, and never over a digit."""
    lo, hi = clause_bounds(text, start, end)
    lo, hi = max(lo, floor), hi if ceiling is None else min(hi, ceiling)
    verbs = 0  # verbs inside the phrase (two-character words tagged v, not at its end), counted as it grows
    if side == "B":
        for s in range(pos - 1, max(lo, pos - _MAX_LEN) - 1, -1):
            if text[s].isdigit():
                break
            if s <= pos - 4 and text[s : s + 2] in _VERBS:  # the one place a verb may start that the last phrase lacked
                verbs += 1
            yield s, edge_features(text, label, unit, side, s, pos, hint, verbs)
    else:
        for e in range(pos + 1, min(hi, pos + _MAX_LEN) + 1):
            if text[e - 1].isdigit():
                break
            if pos <= e - 4 and text[e - 4 : e - 2] in _VERBS:
                verbs += 1
            yield e, edge_features(text, label, unit, side, pos, e, hint, verbs)


def edge_features(
    text: str, label: str, unit: str | None, side: str, s: int, e: int, hint: str | None, verbs: int
) -> list[str | None]:
    """Values of :data:`EDGE` for the phrase ``text[s:e]`` with ``verbs`` verbs inside."""
    u = unit or "-"
    phrase = text[s:e]
    n = _bucket(e - s)
    v = "2" if verbs >= 2 else "1" if verbs else "0"
    if hint:
        p = _unquoted(phrase)
        hinted = "same" if p == hint else "in" if hint in p else "has" if p in hint else "no"
    else:
        hinted = None
    get = _WORDS.get
    if side == "B":  # the start moves: what is left of it, and how the phrase opens
        l1 = text[s - 1] if s > 0 else "^"
        l2 = text[s - 2 : s] if s > 1 else text[:s]
        f1, f2 = text[s], text[s : s + 2]
        pl2, pf2 = _pos(l2), get(f2, "n")
        values = [
            n, f"{label}|{n}", f"{u}|{n}",
            l1, l2, f1, f2, _kind(l1), _cross(text, s),
            pl2, get(l1, "n") if s > 0 else "^", pf2, get(f1, "n"), pl2 + pf2,
            text[e - 2 : e] if e - s > 1 else text[s:e], f"{u}|{f1}",
        ]
        last = l1 + f1
    else:
        r1 = text[e] if e < len(text) else "$"
        r2 = text[e : e + 2]
        e2 = text[e - 2 : e] if e - s > 1 else text[s:e]
        pr2, pe2 = _pos(r2), get(e2, "n")
        values = [
            n, f"{label}|{n}", f"{u}|{n}",
            r1, r2, text[e - 1], e2, _kind(r1), _cross(text, e),
            _pos(text[e : e + 1]), pr2, pe2, pe2 + pr2,
            f"{u}|{text[e - 1]}", f"{u}|{r1}",
        ]
        last = text[e - 1] + r1
    values += (
        v,
        f"{u}|{v}",
        hinted,
        "1" if "、" in phrase else None,
        (str(phrase.count("(") == phrase.count(")")) if "(" in phrase or ")" in phrase else None),
        "1" if ("“" in phrase or "”" in phrase) and phrase.count("“") != phrase.count("”") else None,
        last,
    )
    return values


def _unquoted(phrase: str) -> str:
    return _QUOTES.sub("", phrase) if _QUOTES.search(phrase) else phrase


# -- normal form -------------------------------------------------------------


def normalise(phrase: str | None, label: str = "COUNT") -> str | list[str] | None:
    """The shared form of a subject or metric: no quotes, no determiner before a list item,
    no trailing particle; a list of metrics (``参考率、合格率``) becomes a list."""
    if phrase is None:
        return None
    p = _QUOTES.sub("", phrase).strip(" ,。;:!?、")
    items = p.split("、")
    items = [_strip_determiner(i) for i in items]
    p = "、".join(i for i in items if i)
    changed = True
    while changed and len(p) > 1:
        changed = False
        for t in _TRAILING_WORDS:
            if p.endswith(t) and len(p) > len(t):
                p, changed = p[: -len(t)], True
    if len(p) < 1:
        return None
    if label == "RATE":
        parts: list[str] = []
        for item in p.split("、"):
            sub = [x for x in _RATE_SPLIT.split(item)]
            if len(sub) > 1 and all(len(x) >= 2 for x in sub) and _all_rates(sub):
                parts += sub
            else:
                parts.append(item)
        if len(parts) > 1 and _all_rates(parts[1:]):
            while not _all_rates(parts[:1]) and len(parts) > 2:
                del parts[0]  # what the rates are of, not a rate: 人大建议、政协提案办复率、满意率
            if all(len(x) == 3 and x[-1] == "率" for x in parts[1:]) and len(parts[0]) > 3 and parts[0][-1] == "率":
                parts[0] = parts[0][-3:]  # bare rates share the first one's modifier: 网上考试参考率、合格率
            return parts
    return p


def _all_rates(parts: Sequence[str]) -> bool:
    return all(x.endswith(("率", "度", "比", "比例", "数", "占比")) for x in parts)


def _strip_determiner(item: str) -> str:
    for d in _DETERMINERS:
        if item.startswith(d) and len(item) - len(d) >= 2:
            return item[len(d) :]
    return item


# -- the reader --------------------------------------------------------------


def models_of(data: dict[str, Any] | None) -> dict[str, Weights] | None:
    """The two rankers of ``lawie/data/subjects.json``'s content (None when it has none)."""
    if not data or "anchor" not in data:
        return None
    return {"anchor": Weights(LinearModel(data["anchor"])), "edge": Weights(LinearModel(data["edge"]))}


class SubjectReader:
    """Pick the subject (``COUNT``) or metric (``RATE``) of a figure with the two models."""

    def __init__(self, models: dict[str, Weights] | None = None) -> None:
        self.models = models
        if models:  # each template list's weight tables, looked up once
            anchor, edge = models["anchor"], models["edge"]
            self._null = {tag: anchor.aligned(names) for tag, names in NULL.items()}
            self._side = {side: anchor.aligned(names) for side, names in SIDE.items()}
            self._anchor = {side: anchor.aligned(names) for side, names in ANCHOR.items()}
            self._edge = {side: edge.aligned(names) for side, names in EDGE.items()}

    def __bool__(self) -> bool:
        return bool(self.models)

    def phrase(
        self,
        text: str,
        start: int,
        end: int,
        label: str,
        unit: str | None,
        previous: Sequence[tuple[int, int, str, dict[str, Any]]] = (),
        hint: str | None = None,
        ceiling: int | None = None,
    ) -> tuple[str, int, int] | tuple[str, None, None]:
        """``("B"|"A", s, e)`` of the phrase, or ``("NULL", None, None)`` / ``("PREV", None, None)``;
        ``ceiling`` is the start of the next figure."""
        assert self.models
        score = Weights.score
        prev = previous_subject(text, start, previous)
        empty = null_features(text, start, end, label, unit, prev is not None)
        best, best_score = ("NULL", None), score(self._null["NULL"], empty)
        if prev is not None:
            s = score(self._null["PREV"], empty)
            if s > best_score:
                best, best_score = ("PREV", None), s
        floor = figure_floor(start, previous)
        shared = side_features(text, end, label, unit)
        bias = {side: score(tables, shared) for side, tables in self._side.items()}
        for side, pos in anchors(text, start, end, floor, ceiling):
            s = bias[side] + score(self._anchor[side], anchor_features(text, start, end, label, unit, side, pos, hint))
            if s > best_score:
                best, best_score = (side, pos), s
        side, pos = best
        if side in ("NULL", "PREV"):
            return side, None, None
        far, far_score = None, float("-inf")
        tables = self._edge[side]
        for x, values in edge_candidates(text, start, end, label, unit, side, pos, hint, floor, ceiling):
            s = score(tables, values)
            if s > far_score:
                far, far_score = x, s
        if far is None:
            return "NULL", None, None
        return (side, far, pos) if side == "B" else (side, pos, far)

    def read(
        self,
        text: str,
        start: int,
        end: int,
        label: str,
        unit: str | None,
        previous: Sequence[tuple[int, int, str, dict[str, Any]]] = (),
        hint: str | None = None,
        ceiling: int | None = None,
    ) -> str | list[str] | None:
        """The normalised subject or metric; ``hint`` is the phrase the word-list rules propose."""
        side, s, e = self.phrase(text, start, end, label, unit, previous, hint, ceiling)
        if side == "NULL":
            return None
        if side == "PREV":
            return previous_subject(text, start, previous)
        return finish(text, side, s, e, label, unit)


def finish(text: str, side: str, s: int, e: int, label: str, unit: str | None) -> str | list[str] | None:
    """The normal form of the phrase ``text[s:e]`` picked on ``side`` of the number, its start
    moved past what is never part of it (:func:`trim_start`, :func:`after_actor`,
    :func:`after_relative`)."""
    if side == "B":
        s = trim_start(text, s, e, label)
        if unit in _EVENT_UNITS:
            s = after_actor(text, s, e)
        elif label == "COUNT":
            s = after_relative(text, s, e)
    return normalise(text[s:e], label)


def after_relative(text: str, s: int, e: int) -> int:
    """The start of a counted noun past a clause that describes it (``群众关心的|人防车位问题``);
    ``党的`` belongs to a name (``党的二十大``)."""
    i = text.rfind("的", s, e - 2)
    return i + 1 if i > s and text[i - 1] != "党" else s


def convened_meeting(text: str, start: int, end: int) -> str | None:
    """The meeting a figure counts when the sentence convenes it and says what it did."""
    lo, hi = clause_bounds(text, start, end)
    m = _CONVENED_BEFORE.search(text, max(lo, start - 40), start)
    if m is None and text[max(lo, start - 2) : start] == "召开":
        m = _CONVENED_AFTER.match(text, end, hi)
    return m["meeting"] if m else None


def after_actor(text: str, s: int, e: int) -> int:
    """The start of an event phrase past the body or people holding it (``分局领导班子|专题学法``);
    a meeting keeps its holder (``党组理论中心组学习会``)."""
    if text.endswith(("会", "会议"), s, e):
        return s
    for m in _ACTOR.finditer(text, s, e):
        s = m.end()
    return s


def trim_start(text: str, s: int, e: int, label: str = "COUNT") -> int:
    """Move the start of a phrase before the number past what is never part of it: a time frame
    (``今年``, ``全年``: a word tagged ``t`` with 年), a determiner (``各类``: tagged ``r``, with 各),
    a scope (``全区``; before a rate ``全省`` too), the complement ``出``/``了`` glued to the verb
    before it (``梳理出``), before a count a verb that holds or uses the counted thing (``出动``,
    ``开展``: guide D2; ``参加人数`` stays) and, before a rate, a preposition (``在``).
    (Dropping any verb that opens the clause was tried: it cut 预备党员, 参加人员, 告知承诺制事项.)"""
    scopes = _RATE_SCOPES if label == "RATE" else _SCOPES
    while e - s > 2:
        head = text[s : s + 2]
        tag = _WORDS.get(head)
        frame = (tag == "t" and "年" in head) or (tag == "r" and head[0] == "各")
        holding = label == "COUNT" and head in _HOLDING_VERBS and not text.startswith(_VERB_NOUNS, s + 2)
        if (frame or holding) and e - s - 2 >= 2:
            s += 2
        elif (scope := next((x for x in scopes if text.startswith(x, s)), "")) and e - s - len(scope) >= 2:
            s += len(scope)
        elif text[s] in "出了" and s > 0 and _kind(text[s - 1]) == "C" and head not in _PAIRS:
            s += 1
        elif label == "RATE" and _WORDS.get(text[s]) == "p" and head not in _PAIRS and _kind(text[s + 1]) == "C":
            s += 1  # a preposition: 在规定时限内完成率
        else:
            break
    return s


def ceilings(spans: Sequence[tuple[int, int, str]]) -> list[int | None]:
    """For each span (in text order), the start of the next ``COUNT``/``RATE``/``MONEY`` after it."""
    out: list[int | None] = []
    following = None
    for start, end, label in reversed(spans):
        out.append(following)
        if label in ("COUNT", "RATE", "MONEY"):
            following = start
    return out[::-1]


def figure_floor(start: int, previous: Sequence[tuple[int, int, str, dict[str, Any]]]) -> int:
    """The end of the last figure before ``start``: a phrase never reaches back over it (``会议1次、|政府党组会5次``)."""
    for s, e, label, _ in reversed(previous[-24:]):
        if label in ("COUNT", "RATE", "MONEY") and e <= start:
            return e
    return 0


def previous_subject(text: str, start: int, previous: Sequence[tuple[int, int, str, dict[str, Any]]]) -> Any:
    """The subject or metric of the nearest figure before ``start`` in the same or the previous sentence."""
    numeric = [p for p in previous[-24:] if p[2] in ("COUNT", "RATE", "MONEY")]
    for s, e, label, value in reversed(numeric[-8:]):
        if start - e > _PREV_REACH:
            continue
        v = value.get("subject") if label != "RATE" else value.get("metric")
        if v:
            return v
    return None


def rule_hint(rules: Any, text: str, start: int, end: int, label: str, unit: str | None, previous: Sequence) -> str | None:
    """The phrase the word-list rules of :class:`~lawie.pipeline.values.ValueReader` propose, quotes removed."""
    if label == "RATE":
        m = rules.metrics(text, start, end, rules.change(text, start), previous)
        p = "、".join(m) if m else None
    else:
        p = rules.subject(text, start, end, unit, previous)
    return _QUOTES.sub("", p) if p else None

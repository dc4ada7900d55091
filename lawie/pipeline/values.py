"""Normalised values of entities: the ``lawie_values`` component.

For every span of ``doc.ents`` it sets ``span._.normalized`` (``docs/LABELS.md``):

- ``COUNT``: ``value``, ``unit``, ``approx``, ``subject`` (what is counted), ``change``;
- ``RATE``: ``value`` (a fraction) or ``points`` (percentage points), ``metric``,
  ``metrics`` (the metrics that share the figure), ``change``, ``approx``;
- ``MONEY``: ``value`` in yuan, ``currency``, ``approx``, ``subject``, ``change``;
- ``LAW``: ``title``, ``doc_number``, ``kind``; ``ORG``: ``name``.

Qualifiers (约, 超过, 以上 …), the direction of a change (同比增长 …), the
subject and the metric are outside the span by contract, so they are read from
the clean text around it. The words this reading relies on live in
``lawie/data/values.json``, saved with the pipeline; ``docs/values.md``
explains each field and the decisions behind it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from ..text.lexicon import alternation
from .base import LexiconComponent
from .extensions import doc_text
from ..text.numerals import parse_money, parse_quantity, parse_rate
from .subjects import (
    SubjectReader,
    ceilings,
    clause_bounds,
    convened_meeting,
    install_words,
    models_of,
    normalise,
    previous_subject,
    rule_hint,
)


# Where a clause ends, looking left from a number. 、 separates the items of
# a list of counts, but not the metrics that share one rate.
_COUNT_CLAUSE_END = ",。;:!?\n、()"
_RATE_CLAUSE_END = ",。;:!?\n()"
_SENTENCE_END = "。;!?\n"
_PUNCT = set(",。;:!?\n、()“”\"《》[]【】〔〕…—-·/|+ ")
_MAX_SUBJECT = 24
_NUMERIC = ("COUNT", "RATE", "MONEY")
# Earlier entities are looked at only within their sentence: the last few are enough.
_WINDOW = 32
_MAX_CLAUSE = 200  # characters a clause or sentence look-back goes at most
_AFTER_LAST_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?年?度?")
_QUOTED = re.compile(r"“[^“”]*”")
_QUOTE_MARKS = re.compile(r"[“”‘’\"]")
_UNCLOSED = re.compile(r"\([^()]*$|[>〉》]+$")
_DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,12}[〔\[(][0-9]{4}[〕\])]?\s*[0-9]{1,5}\s*号")
# (?<!\s): the optional space before the parenthesis is tried once per run of
# spaces, not from every space of the run (quadratic on a long run).
_TRAILING_PAREN = re.compile(r"(?<!\s)\s*\(([^()]*)\)\s*$")
_PLACE_PREFIX = re.compile(r"^[\u4e00-\u9fff]{1,8}?(?:省|市|自治区|自治州|县|区|州|盟|旗)")
_PROVINCE_OR_CITY = re.compile(r"^[\u4e00-\u9fff]{1,8}?(?:省|市|自治区)")
# Words that end like a place but are common nouns (城市绿化条例 has no place prefix).
_NOT_PLACES = ("城市", "都市", "超市", "社区", "地区", "园区", "景区", "小区", "街区", "山区", "牧区", "城区", "辖区")


def _place_prefix(title: str, pattern: re.Pattern = _PLACE_PREFIX) -> bool:
    """Does ``title`` open with a place name (北京市…, 庐阳区…)?"""
    m = pattern.match(title)
    return bool(m) and len(m.group(0)) >= 2 and not m.group(0).endswith(_NOT_PLACES)


class _Trailers:
    """Drop a run of trailer words from the end of a phrase, in linear time.

    ``strip(phrase)`` equals ``re.sub(r"(?:w1|w2|…)+$", "", phrase)``: it cuts the
    phrase at the leftmost position from which the rest is a sequence of the
    words (with ``counter``, a word may also be a run of those characters
    followed by 个, as in 两个). A backtracking regex takes exponential time for
    that when one word is two others joined (均已 = 均 + 已) and the run does not
    reach the end; here a right-to-left pass marks the positions from which the
    rest splits into words, at a cost of (length × longest word).
    """

    def __init__(self, words: Iterable[str], counter: str = "") -> None:
        self.words = frozenset(w for w in words if w)
        self.lengths = sorted({len(w) for w in self.words}, reverse=True)
        self.counter = frozenset(counter)

    def strip(self, phrase: str) -> str:
        n = len(phrase)
        ok = [False] * (n + 1)  # ok[i]: phrase[i:] is a sequence of words
        ok[n] = True
        run_end = n  # the first character at or after i that is not a counter character
        cut = n
        for i in range(n - 1, -1, -1):
            if phrase[i] not in self.counter:
                run_end = i
            found = any(i + k <= n and ok[i + k] and phrase[i : i + k] in self.words for k in self.lengths)
            if not found and run_end > i and run_end < n and phrase[run_end] == "个" and ok[run_end + 1]:
                found = True
            if found:
                ok[i] = True
                cut = i
        return phrase[:cut]


def _is_cjk(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


class ValueReader(LexiconComponent):
    """Read the normalised value of each entity from its text and its sentence
    (``Span._.normalized``; lexicons: ``lawie/data/values.json``).

    Outside a pipeline, ``ValueReader.default()`` is a reader with the package's lexicons.
    """

    DATA_FILES = ("values.json", "subjects.json", "subject_words.json")
    TRAINED_FILES = ("subjects.json",)

    def __init__(self, nlp: Language | None = None, name: str = "lawie_values") -> None:
        super().__init__(nlp, name)

    @classmethod
    def default(cls) -> "ValueReader":
        reader = cls()
        reader.initialize()
        return reader

    @property
    def data(self) -> dict[str, Any]:
        return self.lexicons["values.json"]

    def compile(self) -> None:
        d = self.data
        self._approx_word = {w: code for code, words in d["approx_before"].items() for w in words}
        self._approx_before = re.compile(
            rf"(?P<word>{alternation(self._approx_word)})(?:{alternation(d['approx_filler'])})?$"
        )
        self._approx_after = {w: code for code, words in d["approx_after"].items() for w in words}
        self._change_word = {w: code for code, words in d["change_verbs"].items() for w in words}
        self._change = re.compile(
            rf"(?P<prefix>{alternation(d['change_prefix'])})?(?P<verb>{alternation(self._change_word)})"
            rf"(?:{alternation(d['change_filler'])})?$"
        )
        self._openers = re.compile(rf"^(?:{alternation(d['clause_openers'])}|[0-9]{{4}}年度?)+")
        self._subject_trailers = _Trailers(d["subject_trailers"])
        self._verbs = re.compile(alternation(d["report_verbs"]))
        self._nouns = re.compile(alternation(d["nouns_with_verbs"]))
        self._adverbs = _Trailers(d["verb_adverbs"])
        self._after_words = re.compile(rf"^(?:{alternation(self._approx_after)})")
        self._stops_after = re.compile(alternation(d["subject_stops_after"]))
        self._not_after = tuple(d["subject_not_after"])
        self._durations = frozenset(d["duration_units"])
        self._metric_heads = tuple(d["metric_heads"])
        self._metric_trailers = _Trailers(d["metric_trailers"], counter="一二两三四五六七八九十0123456789")
        self._metric_openers = re.compile(rf"^(?:{alternation(d['metric_openers'])}|[0-9]{{4}}年度?)+")
        self._metric_after = tuple(sorted(d["metric_after_words"], key=len, reverse=True))
        kinds = d["law_kinds"]
        self._law_plan = tuple(kinds["plan"])
        self._law_scheme = tuple(kinds["scheme"])
        self._law_policy = tuple(kinds["policy"])
        self._law_rule = tuple(kinds["rule"])
        self._party = re.compile(alternation(kinds["party_markers"]))
        install_words(self.lexicons["subject_words.json"])
        self._subjects = SubjectReader(models_of(self.lexicons["subjects.json"]))  # the learned picker

    # -- the values ---------------------------------------------------------
    def read(self, text: str, spans: Sequence[tuple[int, int, str]]) -> list[dict[str, Any]]:
        """Normalised values of ``spans`` (``(start, end, label)`` in order) over clean ``text``."""
        self.require()
        out: list[dict[str, Any]] = []
        previous: list[tuple[int, int, str, dict[str, Any]]] = []
        for (start, end, label), ceiling in zip(spans, ceilings(spans)):
            value = self.value(text, start, end, label, previous, ceiling)
            out.append(value)
            previous.append((start, end, label, value))
            if len(previous) > 2 * _WINDOW:  # only the last _WINDOW spans are ever looked at
                del previous[:_WINDOW]
        return out

    def value(
        self,
        text: str,
        start: int,
        end: int,
        label: str,
        previous: Sequence[tuple[int, int, str, dict[str, Any]]] = (),
        ceiling: int | None = None,
    ) -> dict[str, Any]:
        """The normalised value of ``text[start:end]`` labelled ``label``; ``previous`` are the spans
        read before it and ``ceiling`` the start of the next figure (a subject never reaches over either)."""
        self.require()
        surface = text[start:end]
        if label == "COUNT":
            q = parse_quantity(surface)
            return {
                "value": q.value,
                "unit": q.unit,
                "approx": q.approx or self.approx(text, start, end, label),
                "subject": self._picked(text, start, end, label, q.unit, previous, ceiling)
                if self._subjects
                else self.subject(text, start, end, q.unit, previous),
                "change": self.change(text, start),
            }
        if label == "MONEY":
            m = parse_money(surface)
            return {
                "value": m.value,
                "currency": m.currency,
                "approx": m.approx or self.approx(text, start, end, label),
                "subject": self.subject(text, start, end, None, previous),
                "change": self.change(text, start),
            }
        if label == "RATE":
            r = parse_rate(surface)
            change = self.change(text, start)
            if self._subjects:
                metric = self._picked(text, start, end, label, None, previous, ceiling)
                metrics = metric if isinstance(metric, list) else [metric] if metric else []
            else:
                metrics = self.metrics(text, start, end, change, previous)
                metric = "、".join(metrics) if metrics else None
            return {
                "value": r.value,
                "points": r.points,
                "metric": metric,
                "metrics": metrics,
                "change": change,
                "approx": self.approx(text, start, end, label),
            }
        if label == "LAW":
            return self.law(surface)
        if label == "ORG":
            return {"name": surface.strip()}
        return {}

    def _picked(self, text: str, start: int, end: int, label: str, unit: str | None, previous: Sequence, ceiling: int | None) -> Any:
        """The learned picker's subject or metric, but for two constructions the guide decides by
        structure: a convened meeting counted with what it did is the meeting (``召开党委会议专题研究…
        2次``, D1), and a clause that is nothing but a change (``…720件,同比增长57.54%``) measures
        what the figure before it counted (D5)."""
        if label == "COUNT":
            meeting = convened_meeting(text, start, end)
            if meeting:
                return normalise(meeting)
        if self._change_only(text, start, end):
            before = previous_subject(text, start, previous)
            if before:
                return before
        hint = rule_hint(self, text, start, end, label, unit, previous)
        return self._subjects.read(text, start, end, label, unit, previous, hint, ceiling)

    def _change_only(self, text: str, start: int, end: int) -> bool:
        """Does the clause before the figure say only that it is a change (``同比增长``)?"""
        m = self._change_match(text, start)
        return bool(m and m["prefix"] and m.start() == clause_bounds(text, start, end)[0])

    # -- qualifiers ---------------------------------------------------------
    def approx(self, text: str, start: int, end: int, label: str = "COUNT") -> str | None:
        """``"gt"``, ``"lt"`` or ``"about"`` from the words just before or after the span."""
        self.require()
        m = self._approx_before.search(text, max(0, start - 6), start)
        if m:
            word = m["word"]
            ws = m.start("word")
            # 最近, 附近, 节约, 预约 are other words; 近三年 is "the last three years".
            glued = ws > 0 and text[ws - 1] in self.data["not_approx_after"].get(word, "")
            duration = word == "近" and label == "COUNT" and text[start:end].endswith("年")
            if not (glued or duration):
                return self._approx_word[word]
        after = text[end : end + 2]
        for word, code in self._approx_after.items():
            if after.startswith(word):
                return code
        return None

    def _change_match(self, text: str, start: int) -> re.Match | None:
        """The change words (``同比增长``) that end just before ``start``, if any."""
        return self._change.search(text, max(0, start - 12), start)

    def change(self, text: str, start: int) -> str | None:
        """``"increase"`` or ``"decrease"`` when the number is a change (同比增长 57.54%)."""
        self.require()
        m = self._change_match(text, start)
        if not m:
            return None
        verb = m["verb"]
        if len(verb) == 1 and not m["prefix"]:
            return None  # 增/减/降 alone only after 同比, 环比 … (新增 is not a change)
        return self._change_word[verb]

    # -- subject of a count -------------------------------------------------
    def subject(
        self,
        text: str,
        start: int,
        end: int,
        unit: str | None,
        previous: Sequence[tuple[int, int, str, dict[str, Any]]] = (),
    ) -> str | None:
        """What is counted: the noun after the number (``4441项权责清单``) or before it
        (``审理行政复议案件62件``); ``None`` where the sentence does not say."""
        self.require()
        if unit not in self._durations:
            after = self._noun_after(text, end)
            if after:
                return after
        clause_start = _clause_start(text, start, _COUNT_CLAUSE_END)
        numeric = [p for p in previous[-_WINDOW:] if p[2] in _NUMERIC]
        for s, e, label, value in reversed(numeric):
            if clause_start <= e <= start:  # a number earlier in the same clause
                clause_start = e
                break
        phrase = text[clause_start:start].strip()
        phrase = self._after_words.sub("", phrase)  # 50万元以上纠纷3起 → 纠纷
        m = self._change.search(phrase)
        if m and (len(m["verb"]) > 1 or m["prefix"]):
            phrase = phrase[: m.start()]  # 同比增加15件: the change, not the subject
        if not phrase and clause_start > 0 and text[clause_start - 1] == "、":
            # 受理信访案件22起、144人次: the second count shares the subject of the first.
            for s, e, label, value in reversed(numeric):
                if e == clause_start - 1:
                    return value.get("subject")
            return None
        subject, verb_only = self._noun_before(phrase)
        if verb_only or (subject is None and m is not None):
            # 收到行政复议申请27件,受理20件: a bare verb counts the same thing as before.
            sentence_start = _clause_start(text, start, _SENTENCE_END)
            for s, e, label, value in reversed(numeric):
                if s >= sentence_start and label == "COUNT" and value.get("subject"):
                    return value["subject"]
            return None
        return subject

    def _noun_after(self, text: str, end: int) -> str | None:
        rest = text[end : end + _MAX_SUBJECT + 8]
        if not rest or not _is_cjk(rest[0]) or rest.startswith(self._not_after):
            return None
        stop = len(rest)
        for i, ch in enumerate(rest):
            if ch in _PUNCT or ch.isdigit():
                stop = i
                break
        phrase = rest[:stop]
        m = self._stops_after.search(phrase)
        if m:
            phrase = phrase[: m.start()]
        if len(phrase) == 1 and stop == 1 and stop < len(rest):
            return phrase  # 12个村(社区): a one-character noun closed by punctuation
        return _clean_subject(phrase)

    def _noun_before(self, phrase: str) -> tuple[str | None, bool]:
        """The counted noun at the end of ``phrase``, and whether the phrase is only a verb."""
        phrase = _AFTER_LAST_NUMBER.split(phrase)[-1]  # 2020年共开展… → 共开展…
        phrase = self._subject_trailers.strip(phrase)
        phrase = self._openers.sub("", phrase)
        if "等" in phrase[:-1]:
            phrase = phrase[phrase.rindex("等") + 1 :]
        # Verbs inside fixed nouns (人民调解委员会, 依申请公开事项) are not verbs.
        masked = _QUOTED.sub(_blank, self._nouns.sub(_blank, phrase))
        cut, last_verb = -1, None
        for m in self._verbs.finditer(masked):
            last_verb = m
            if len(phrase) - m.end() >= 2:
                cut = m.end()
        if cut >= 0:
            return _clean_subject(phrase[cut:]), False
        if last_verb is not None and last_verb.end() >= len(phrase) - 1:
            head = self._adverbs.strip(phrase[: last_verb.start()])
            if len(head) < 2:
                return None, True
        return _clean_subject(phrase), False

    # -- metric of a rate ---------------------------------------------------
    def metrics(
        self,
        text: str,
        start: int,
        end: int,
        change: str | None,
        previous: Sequence[tuple[int, int, str, dict[str, Any]]] = (),
    ) -> list[str]:
        """What the rate measures; several metrics when a list shares one figure."""
        self.require()
        clause_start = _clause_start(text, start, _RATE_CLAUSE_END)
        phrase = text[clause_start:start].strip()
        m = self._change.search(phrase)
        if m and (len(m["verb"]) > 1 or m["prefix"]):
            phrase = phrase[: m.start()]
        for _ in range(3):
            phrase = self._metric_trailers.strip(phrase)
            phrase = self._metric_openers.sub("", phrase).strip()
        if not phrase.endswith(self._metric_heads):
            after = text[end : end + 4]
            word = next((w for w in self._metric_after if after.startswith(w)), None)
            if word:
                phrase += word
        if len(phrase) < 2:
            if change:
                # 案件720件,同比增长57.54%: the change is that of the count before it.
                sentence_start = _clause_start(text, start, _SENTENCE_END)
                for s, e, label, value in reversed(previous[-_WINDOW:]):
                    if s >= sentence_start and label in ("COUNT", "MONEY") and value.get("subject"):
                        return [value["subject"]]
            return []
        if len(phrase) > 2 * _MAX_SUBJECT:
            phrase = phrase[-2 * _MAX_SUBJECT :]
        return self._split_metrics(phrase)

    def _split_metrics(self, phrase: str) -> list[str]:
        """``化解率、群众满意率`` → two metrics; an item without a metric head joins the next."""
        items: list[str] = []
        pending = ""
        for item in phrase.split("、"):
            pending = f"{pending}、{item}" if pending else item
            if pending.endswith(self._metric_heads):
                items.append(pending)
                pending = ""
        if pending:
            if items:
                items[-1] = f"{items[-1]}、{pending}"
            else:
                items.append(pending)
        return [i for i in (item.strip() for item in items) if i]

    # -- laws ---------------------------------------------------------------
    def law(self, surface: str) -> dict[str, Any]:
        """``title`` without 《》 or a trailing document number, ``doc_number``, ``kind``."""
        self.require()
        title = _QUOTE_MARKS.sub("", surface.strip().strip("《》")).strip()  # quotes go (LABELS.md)
        doc_number = None
        m = _TRAILING_PAREN.search(title)
        number = _DOC_NUMBER.search(m.group(1)) if m else None
        if number:
            doc_number = number.group(0)
            title = title[: m.start()].strip()
        else:
            m = _DOC_NUMBER.search(title)
            if m and m.end() >= len(title.rstrip(")")) - 1 and m.start() > 0:
                doc_number = m.group(0)
                title = title[: m.start()].strip(" ()")
        if doc_number:
            doc_number = re.sub(r"\s+", "", doc_number)
        return {"title": title, "doc_number": doc_number, "kind": self.law_kind(title)}

    def law_kind(self, title: str) -> str:
        """The kind of instrument, read from the end of its title (``docs/LABELS.md``)."""
        self.require()
        core = title
        while True:  # drop (2021—2025年), (试行) …
            m = _TRAILING_PAREN.search(core)
            if not m or m.start() == 0:
                break
            core = core[: m.start()]
        core = _UNCLOSED.sub("", core).strip()  # a title cut in its parenthesis: 实施方案(20
        if core == "党章" or core.endswith("党章"):
            return "党内法规"
        if core.endswith(self._law_plan):
            return "规划/纲要"
        if core.endswith(self._law_scheme):
            return "方案/计划"
        if core.endswith(self._law_policy):
            return "政策文件"
        if core.endswith(self._law_rule):
            if self._party.search(core):
                return "党内法规"
            # Only provinces and cities make 规章; a district or county under the city does not.
            city = _PROVINCE_OR_CITY.match(core)
            district = city and _place_prefix(core[city.end() :])
            return "规章" if _place_prefix(core, _PROVINCE_OR_CITY) and not district else "规范性文件"
        if core.endswith("条例") or core.endswith("准则"):
            if self._party.search(core):
                return "党内法规"
            if core.endswith("准则"):
                return "其他"
            return "地方性法规" if _place_prefix(core) and not core.startswith("中华人民共和国") else "行政法规"
        if core.endswith(("法", "法典")):
            return "法律"
        return "其他"

    # -- spaCy --------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        ents = list(doc.ents)
        values = self.read(doc_text(doc), [(e.start_char, e.end_char, e.label_) for e in ents])
        for ent, value in zip(ents, values):
            ent._.normalized = value
        return doc


def _clause_start(text: str, start: int, ends: str) -> int:
    # At most _MAX_CLAUSE characters back: a longer "clause" is junk without
    # punctuation, and an unbounded look-back makes a long line quadratic.
    floor = max(0, start - _MAX_CLAUSE)
    return max([text.rfind(ch, floor, start) + 1 for ch in ends] + [floor])


def _blank(m: re.Match) -> str:
    """A stand-in of the same length that no verb pattern matches."""
    return "名" * len(m.group(0))


def _unquote(phrase: str) -> str:
    """Drop the quotes or title marks around a phrase that is one quoted unit."""
    for left, right in ("“”", "《》", '""'):
        if len(phrase) > 2 and phrase[0] == left and phrase[-1] == right and left not in phrase[1:-1]:
            return phrase[1:-1]
    return phrase


def _clean_subject(phrase: str) -> str | None:
    phrase = _unquote(phrase.strip()).strip()
    if len(phrase) < 2 or len(phrase) > _MAX_SUBJECT or any(ch.isdigit() for ch in phrase):
        return None
    if phrase.endswith(("的", "从", "以下", "了", "对", "向", "将", "把", "被", "和", "及", "与", "等")):
        return None
    if phrase.startswith(("从", "到", "在", "对", "向", "将", "把", "被", "于")):
        return None
    return phrase


@Language.factory("lawie_values", assigns=["span._.normalized"], requires=["doc.ents"], default_config={})
def make_values(nlp: Language, name: str) -> ValueReader:
    return ValueReader(nlp, name)

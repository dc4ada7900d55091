"""Rules for the entities whose form is exact: LAW, COUNT, RATE and MONEY.

Patterns follow ``docs/LABELS.md``: qualifiers (约, 超过, 以上 …) stay outside the
span, an internal 余/多 stays inside, years, dates, ordinals, document numbers
and numbers inside short quoted slogans are not entities. The lexicons (law
names, title words, measure words) live in ``lawie/data/rules.json`` and are
saved with the pipeline, so a user can edit them and keep the change.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from .base import LexiconComponent
from ..text.lexicon import alternation
from .extensions import RULES_KEY, doc_text
from ..text.charmask import CharMask


_ARABIC = r"(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?"
_CN_DIGIT = "零〇一二两三四五六七八九十百千万亿"
_CHINESE = rf"[{_CN_DIGIT}]+"
_SENTENCE_END = "。;!?\n"
# _ARABIC and _CHINESE as the quantity patterns start them: a plain run of digits
# only from its first digit (an attempt inside the run could only fail again, and
# retrying at every digit of 50 000 digits of junk is quadratic), and at most six
# thousands groups (so a start inside a long "123,456,…" chain costs little).
_ARABIC_RUN = r"(?:[0-9]{1,3}(?:,[0-9]{3}){1,6}|(?<![0-9])[0-9]+)(?:\.[0-9]+)?"
_CHINESE_RUN = rf"(?<![{_CN_DIGIT}]){_CHINESE}"


class EntityRules(LexiconComponent):
    """Find LAW, COUNT, RATE and MONEY spans by pattern (lexicons: ``lawie/data/rules.json``)."""

    DATA_FILES = ("rules.json",)

    def __init__(self, nlp: Language | None, name: str = "lawie_entity_rules") -> None:
        super().__init__(nlp, name)

    @property
    def data(self) -> dict[str, Any]:
        return self.lexicons["rules.json"]

    def compile(self) -> None:
        d = self.data
        suffix = alternation(d["law_title_suffixes"])
        self._law_end = re.compile(rf"(?:{suffix})(?:\([^()\n]{{1,40}}\))*")
        self._title_suffix = re.compile(rf"(?:{suffix})(?:\s*\([^()]*\))*\s*$")
        self._non_law = re.compile(alternation(d["non_law_title_words"]))
        self._non_law_end = tuple(d["non_law_title_words"])
        self._report_docs = tuple(d["newspaper_not"])
        verbs = alternation(d["title_verbs"])
        # A bare regulation title (信访工作条例) after a list mark or a verb: 4–20 characters up to 条例.
        self._bare_regulation = re.compile(rf"(?:(?<=[、,;:“])|(?<={verbs}))(?!{verbs}|相关|有关|各项|该|本|此)[\u4e00-\u9fff]{{4,20}}?条例")
        self._bare_law = re.compile(
            rf"(?<!《)(?:中华人民共和国)?(?:{alternation(d['law_names'])})"
            rf"(?!{alternation(d['not_law_after_bare_name'])})"
        )
        number = rf"(?:{_ARABIC_RUN}|{_CHINESE_RUN})"
        mult = r"(?:[万亿千百]|万亿)?"
        approx = r"(?:余|多)?"
        units = alternation(d["count_units"])
        money = alternation(d["money_units"])
        self._money = re.compile(rf"{number}{approx}{mult}{approx}(?:{money})")
        self._rate = re.compile(
            rf"{_ARABIC_RUN}\s?%|百分之[{_CN_DIGIT}点]+|{number}个百分点"
            rf"|(?<![0-9/])[0-9]{{1,3}}/[0-9]{{1,3}}(?![0-9/])|{_CHINESE_RUN}分之[{_CN_DIGIT}]+"
        )
        self._numeral_place = re.compile(alternation(d["numeral_place_names"] + d["numeral_set_phrases"]))
        self._count = re.compile(rf"{number}\s?{approx}{mult}{approx}\s?(?:{units})|(?<![0-9])[0-9]+各(?=[\u4e00-\u9fff])")

    # -- matching -----------------------------------------------------------
    def find(self, text: str) -> list[tuple[int, int, str]]:
        """All rule spans in ``text`` as ``(start, end, label)``, without overlaps."""
        self.require()
        found: list[tuple[int, int, str]] = []
        laws = list(self._titles(text))
        found.extend(laws)
        taken = CharMask(len(text), laws)
        for pattern in (self._bare_law, self._bare_regulation):
            for m in pattern.finditer(text):
                if not taken.overlaps(*m.span()):
                    found.append((m.start(), m.end(), "LAW"))
                    taken.add(*m.span())
        taken = CharMask(len(text), found)
        quotes = _short_quotes(text)
        cut = _CUT_NUMBER.search(text)
        if cut and not taken.overlaps(*cut.span(1)):
            found.append((*cut.span(1), "COUNT"))  # a number cut off by the end of an excerpt: its unit is lost
            taken.add(*cut.span(1))
        for label, pattern in (("MONEY", self._money), ("RATE", self._rate), ("COUNT", self._count)):
            for m in pattern.finditer(text):
                s, e = m.span()
                if taken.overlaps(s, e) or quotes.overlaps(s, e) or not self._is_quantity(text, s, e, label):
                    continue
                if self._numeral_place.match(text, s):
                    continue  # 三门峡市, 行政执法三项制度: a place or a name, not a quantity
                found.append((s, e, label))
                taken.add(s, e)
        return sorted(found)

    def _titles(self, text: str) -> Iterator[tuple[int, int, str]]:
        """《…》 titles of instruments (outermost when nested), and unclosed 《 titles.

        A title opened at ``start`` closes at the 》 that brings the nesting back
        to zero; it is unclosed at a line end, or at the first character other
        than 《 more than 150 characters after ``start``. The scan jumps from
        mark to mark with C-speed searches, and skips the openings of a long run
        of 《 that can only end the same way, so its cost is linear in the text.
        """
        n = len(text)
        i = text.find("《")
        while i != -1:
            start, depth, pos = i, 1, i + 1
            cut = _first_not_open(text, start + 151)  # where an ordinary character ends the title
            while True:
                mark = _CLOSE_OR_LINE.search(text, pos, cut + 1)
                if mark is not None and mark.group() == "》":
                    depth += text.count("《", pos, mark.start()) - 1
                    pos = mark.end()
                    if depth:
                        if mark.start() == cut:
                            cut = _first_not_open(text, pos)
                        continue
                    if self._is_law_title(text[start + 1 : mark.start()]):
                        yield start, pos, "LAW"
                    resume = pos
                    break
                if mark is None and cut >= n:  # the text ends inside the title
                    end = self._unclosed_end(text, start, n, at_text_end=True)
                    if end:
                        yield start, end, "LAW"
                    return
                # An unclosed title: it ends at its last title word, within the sentence.
                end = self._unclosed_end(text, start, cut if mark is None else mark.start())
                if end:
                    yield start, end, "LAW"
                    resume = end if end > start + 1 else start + 1
                elif text.startswith("《", start + 1):
                    # The openings of this run of 《 up to 150 before its end close nothing.
                    resume = max(start + 1, _first_not_open(text, start + 1) - 150)
                else:
                    resume = start + 1
                break
            i = text.find("《", resume)

    def _unclosed_end(self, text: str, start: int, limit: int, *, at_text_end: bool = False) -> int:
        """Where an unclosed title ends: at its last title word within the sentence, or,
        when the text itself ends inside the title (a cut excerpt), at the end of the text."""
        stop = limit
        first = _TITLE_STOP.search(text, start + 1, limit)
        if first:
            stop = first.start()
        elif at_text_end:
            end = len(text[:limit].rstrip())
            return end if end > start + 1 and not self._non_law.search(text[start + 1 : end]) else 0
        numbered = _DOC_NUMBER_PAREN.search(text, start + 1, stop)
        if numbered:
            stop = numbered.end()
        best = 0
        for m in self._law_end.finditer(text, start + 1, stop):
            best = m.end()
        if not best or self._non_law.search(text[start + 1 : best]):
            return 0
        return best

    def _is_law_title(self, inner: str) -> bool:
        """Whether a 《》 title names an instrument: any title but a programme, newspaper,
        bulletin, book or pledge form (``LABELS.md`` rule 1)."""
        inner = inner.strip()
        if not inner or len(inner) > 150:
            return False
        head = _INNER_MARKS.sub("", inner)
        # 《…工作简报…》, 《…责任书》, 《今日说法》 and newspapers are not instruments,
        # nor books (《习近平法治思想学习纲要》, 《论坚持全面依法治国》).
        last = head.rstrip(")").rsplit("(", 1)[0].rstrip()
        not_law = last.endswith(self._non_law_end) and not last.endswith(self._report_docs)
        return not (not_law or _BOOK.match(head))

    @staticmethod
    def _is_quantity(text: str, s: int, e: int, label: str) -> bool:
        span = text[s:e]
        before = text[max(0, s - 1) : s]
        after = text[e : e + 1]
        if before in ("第", "〕", "]", "+", "-", "/", ".") or after in ("+", "/"):
            return False
        if before.isascii() and before.isalnum():
            return False
        if label != "COUNT":
            return True
        lead = text[max(0, s - 2) : s]
        if re.match(r"一[^0-9零〇一二两三四五六七八九十百千万亿余多]", span) and not (
            lead.endswith(_DURATION_LEADS) or (span == "一次" and lead.endswith(_EVENT_LEADS) and after != "性")
        ):
            return False  # 一次性, 一方面, 一批, 未出现一例: 一 alone is rarely a count
        if span[0] in "万千百亿":
            return False  # 万人律师数: a base, not a number
        if span.endswith("次") and _SESSION_BEFORE.search(text, max(0, s - 30), s):
            return False  # 十一届三次、四次全会: ordinals of plenary sessions
        if before == "、" and _ORDINAL_BEFORE.search(text, max(0, s - 6), s - 1):
            return False  # 第二、三批: an ordinal list
        if before in ("无", "未"):
            return False
        unit_end = span.rstrip()
        if unit_end.endswith("年"):
            # Durations (连续17年, 试点期限2年), never calendar years (2023年, 17年12月).
            number = unit_end[:-1].rstrip("余多")
            return bool(re.fullmatch(r"[0-9]{1,2}|[一二两三四五六七八九十]+", number)) and not re.match(r"[0-9月度底初末中来]", after)
        if unit_end.endswith("日"):
            if re.fullmatch(r"[0-9]{3,}日", span) or (before == "至" and _DAY_BEFORE.search(text, max(0, s - 8), s - 1)):
                return False  # 2025730日, 7月16日至17日: dates
            return before != "月" and not re.match(r"[0-9]", after)  # 15日内, not 3月15日
        if unit_end.endswith("届"):
            return lead.endswith(_DURATION_LEADS)  # 连续两届, not 十九届
        if span.endswith("周") and after == "年":
            return False
        if re.fullmatch(rf"[{_CN_DIGIT}]+个", span) and re.match(r"[0-9“\"]", after or " "):
            return False  # 三个100%, “四个”…
        return True

    # -- spaCy --------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        """Keep the rule entities in ``doc.spans["lawie_rules"]``, out of ``doc.ents``.

        The NER then never meets their labels, so its action set stays ORG only
        (spaCy adds the labels of entities already on a Doc to the NER's moves);
        ``lawie_entities`` puts them into ``doc.ents`` after it.
        """
        spans: list[Span] = []
        for start, end, label in self.find(doc_text(doc)):
            span = doc.char_span(start, end, label=label, alignment_mode="expand")
            if span is not None:
                spans.append(span)
        doc.spans[RULES_KEY] = filter_spans(spans)
        return doc


_DOC_NUMBER_PAREN = re.compile(r"\([^()\n]{0,20}[〔\[][^()\n]{0,20}号\)")
_CLOSE_OR_LINE = re.compile("[》\n]")
_TITLE_STOP = re.compile(f"[{re.escape(_SENTENCE_END)}《]")
_INNER_MARKS = re.compile(r"[《》〈〉<>]")
_BOOK = re.compile(r"习近平|论")
_NOT_OPEN = re.compile("[^《]")


def _first_not_open(text: str, pos: int) -> int:
    """Index of the first character other than 《 at or after ``pos`` (``len(text)`` if none)."""
    m = _NOT_OPEN.search(text, pos)
    return m.start() if m else len(text)


_CUT_NUMBER = re.compile(r"(?<=[\u4e00-\u9fff])([0-9]+)\s*$")
_SESSION_BEFORE = re.compile(r"届(?:[一二三四五六七八九十0-9]+次[、,和及])*$")
_ORDINAL_BEFORE = re.compile(r"第[一二三四五六七八九十0-9]+$")
_DAY_BEFORE = re.compile(r"月[0-9一二三四五六七八九十]+日$")
_EVENT_LEADS = ("至少", "召开", "听取", "开展", "组织", "举办", "进行")
_DURATION_LEADS = ("连续", "满", "近", "超过", "不到", "仅", "历时", "为期", "长达")
_QUOTE = re.compile(r"“[^“”\n]{1,12}”|\"[^\"\n]{1,12}\"")


def _short_quotes(text: str) -> CharMask:
    """Short quoted names and slogans (“1+8+22”, “三个一”): numbers inside are not quantities."""
    return CharMask(len(text), ((m.start(), m.end(), None) for m in _QUOTE.finditer(text)))


@Language.factory("lawie_entity_rules", assigns=["doc.spans"], default_config={})
def make_entity_rules(nlp: Language, name: str) -> EntityRules:
    return EntityRules(nlp, name)

"""Cut a report into typed sections (HEADER, OVERVIEW, MEASURES, …).

The cut follows ``docs/LABELS.md``. Rules find what is exact: numbered top-level
headings (一、 … or, when a text has none, (一) …, or unnumbered heading lines),
the addressee line, and the closing block (signature, date, page furniture).
Two small linear models, trained by ``lawie train`` on every annotated real
report, decide what rules cannot:

- where the header ends: each line before the first heading gets a probability
  of being header (title, issuer, page metadata and furniture) and the cut is
  the prefix that agrees best with them, so a text that opens with its body
  starts with ``OVERVIEW``;
- the type of a top-level section whose heading has no decisive cue word, from
  its heading, the start of its body and the year it names against the
  report's year (``一、2023年工作情况`` in a 2023 report reports work done).

Sub-sections ((一), 1., 一是 …) inherit their top-level section's type; an
unnumbered tail is typed by its content (problems, then plans from ``下一步``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import srsly
from spacy.language import Language
from spacy.tokens import Doc, SpanGroup

from ..errors import Errors
from ..text.numerals import read_numeral
from .extensions import doc_text

SPANS_KEY = "sections"
MODEL_FILES = {"header": "header_model.json", "heading": "heading_model.json"}

_CN = "一二三四五六七八九十"
# Top-level numbering, strongest first: 一、 / 第一部分, then (一), then unnumbered heading lines.
_TOP = re.compile(rf"^(?:第)?([{_CN}]{{1,3}})(?:、|\.|．|部分)\s*\S")
_PAREN = re.compile(rf"^\(([{_CN}]{{1,3}})\)\s*\S")
_PAREN_FIRST = re.compile(r"^\(一\)")
_INLINE_HEADING = re.compile(rf"[。:;!?]\s*(?=(?:第?[{_CN}]{{1,3}}(?:、|部分)|\([{_CN}]{{1,3}}\))\S)")
_SUB_ITEM = re.compile(rf"^(?:\([{_CN}0-9]+\)|[{_CN}]+是|[0-9]+[、.]|[①-⑳])")
_META = re.compile(
    r"索引号|发布|来源|日期|时间|打印|字体|分类|文号|标题|主题词|时效|浏览|阅读|访问|责任编辑|名称|所属|位置|首页|栏目|\|"
)
_ADDRESSEE = re.compile(r"^[^,。;|:]{2,40}[::]$")
_ADDRESSEE_HEAD = re.compile(r"委|政府|人大|常委会|委员|主任|领导|同志|局|厅|部|办|院|会")
_SENTENCE = re.compile(r"[,。;]")
_NUMBER_SIGN = re.compile(r"(?<![0-9])[0-9]+号")  # (?<![0-9]): a digit run is tried once, not from each digit
_HEADING_END = re.compile(rf"[。;:!?]|\s+(?=\([{_CN}0-9]{{1,3}}\)|[{_CN}]{{1,2}}是)")  # a sentence or a sub-heading starts
_DATE_LINE = re.compile(r"^(?:[0-9]{4}\s*年\s*[0-9]{1,2}\s*月\s*[0-9]{1,2}\s*日|[0-9]{4}[-/.][0-9]{1,2}[-/.][0-9]{1,2}|[0-9]{6,8})\s*$")
_FURNITURE = re.compile(r"扫一扫|打印本页|关闭窗口|【打印】|【关闭】|返回顶部|分享到|相关链接|责任编辑|网站地图|主办单位|版权所有|手机上查看")
_PROBLEM_START = re.compile(r"存在的?(?:主要)?问题|问题和不足|不足之处|差距和不足|还存在|仍存在|但.{0,12}(?:存在|面临)|薄弱环节")
_PLAN_START = re.compile(r"下一步|下一年度|明年")
_YEAR = re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})\s*年")

_WORK_DONE = re.compile(r"举措|成效|做法")
_RECTIFIED = re.compile(r"整改")  # 上一年度法治建设问题整改情况 reports work done
_DUTY_REPORT = re.compile(r"第一责任人|述法")  # a report on the leaders' duty as a whole (述法报告)
_DUTY_HEADING = re.compile(r"履职|履行")
# Cue words that decide a heading's type outright (checked in this order).
_CUES = (
    ("LEADERSHIP", re.compile(r"第一责任人|主要负责人.{0,8}履行|履行.{0,12}第一责任")),
    ("PROBLEMS", re.compile(r"问题|不足|差距|短板|困难")),
    ("PLANS", re.compile(r"下一步|打算|思路|安排|计划|展望|下一年|明年|工作重点")),
)


@dataclass(frozen=True)
class Line:
    """A non-blank line of the clean text: ``start`` is its first non-space character."""

    start: int
    end: int
    text: str


def lines_of(text: str) -> list[Line]:
    """The non-blank lines of ``text``, each without its leading spaces.

    A numbered heading run into the previous sentence (``…报告如下: 一、坚持…``)
    starts a line of its own.
    """
    out, pos = [], 0
    for raw_line in text.split("\n"):
        cuts = [0] + [m.end() for m in _INLINE_HEADING.finditer(raw_line)] + [len(raw_line)]
        for a, b in zip(cuts, cuts[1:]):
            part = raw_line[a:b]
            stripped = part.lstrip()
            if stripped.strip():
                out.append(Line(pos + a + len(part) - len(stripped), pos + b, stripped.rstrip()))
        pos += len(raw_line) + 1
    return out


def cue_label(heading: str) -> str | None:
    """The section type that cue words in ``heading`` decide, or None.

    A heading that names work done before its shortcomings (主要举措、成效和不足)
    reports work done: the problem cue does not decide it.
    """
    for label, pattern in _CUES:
        m = pattern.search(heading)
        if m and not (label == "PROBLEMS" and (_WORK_DONE.search(heading, 0, m.start()) or _RECTIFIED.search(heading))):
            return label
    return None


def heading_text(line: str) -> tuple[str, str]:
    """A heading line cut into the heading and the body run into it (``一、加强领导。全面…``)."""
    m = _HEADING_END.search(line, 0, 80)
    return (line[: m.start()], line[m.end() :].lstrip()) if m else (line[:80], line[80:])


def is_addressee(line: str) -> bool:
    """``市人大常委会:``-type lines that open the body of a report."""
    return bool(_ADDRESSEE.match(line) and _ADDRESSEE_HEAD.search(line) and not _META.search(line))


def report_year(text: str) -> int | None:
    """The first year named in the first 400 characters (the year a report is about, usually)."""
    m = _YEAR.search(text, 0, 400)
    return int(m.group(1)) if m else None


# -- features -------------------------------------------------------------------


def _bucket(n: int, edges: tuple[int, ...]) -> str:
    return str(next((e for e in edges if n < e), "max"))


def header_features(line: str, index: int) -> list[str]:
    """Features of the ``index``-th non-blank line for the header/body decision."""
    feats = [f"pos={min(index, 4)}", f"len<{_bucket(len(line), (8, 16, 30, 50, 80, 150))}"]
    head = line[:14]
    feats += [f"c:{head[i:i + 2]}" for i in range(len(head) - 1)]
    feats += [f"e:{line[-2:]}"]
    if _SENTENCE.search(line):
        feats.append("sentence")
    if line.endswith(("。", ";")):
        feats.append("ends-stop")
    if _META.search(line[:16]):
        feats.append("meta")
    if is_addressee(line):
        feats.append("addressee")
    if _YEAR.match(line):
        feats.append("starts-year")
    if _DATE_LINE.match(line) or re.search(r"[0-9]{4}[-/][0-9]{1,2}[-/][0-9]{1,2}", line):
        feats.append("date")
    if "报告" in line and not _SENTENCE.search(line):
        feats.append("title-like")
    if "〔" in line or _NUMBER_SIGN.search(line):
        feats.append("doc-number")
    return feats


def heading_features(heading: str, body: str, year: int | None) -> list[str]:
    """Features of a top-level heading, the start of its body and the year it names."""
    h = _TOP.sub("", heading, count=1) if _TOP.match(heading) else heading
    feats = [f"h:{h[i:i + n]}" for n in (1, 2, 3) for i in range(len(h) - n + 1)]
    b = body[:40]
    feats += [f"b:{b[i:i + 2]}" for i in range(len(b) - 1)]
    m = _YEAR.search(heading)
    if m and year:
        named = int(m.group(1))
        feats.append("year=" + ("same" if named == year else "later" if named > year else "earlier"))
    return feats


class LinearModel:
    """A multinomial logistic regression over string features, stored as plain JSON.

    Trained with scikit-learn by ``lawie train``; predicting needs neither
    scikit-learn nor pickle. An empty model (``{}``) is falsy.
    """

    def __init__(self, data: dict | None = None) -> None:
        self.data = data or {}
        self._index = {f: i for i, f in enumerate(self.data.get("features", []))}

    def __bool__(self) -> bool:
        return bool(self.data)

    def scores(self, features: Iterable[str]) -> dict[str, float]:
        active = [self._index[f] for f in set(features) if f in self._index]
        return {
            label: bias + sum(weights[j] for j in active)
            for label, weights, bias in zip(self.data["labels"], self.data["coef"], self.data["intercept"])
        }

    def probability(self, features: Iterable[str], label: str) -> float:
        scores = self.scores(features)
        top = max(scores.values())
        total = sum(math.exp(s - top) for s in scores.values())
        return math.exp(scores[label] - top) / total

    def predict(self, features: Iterable[str]) -> str:
        scores = self.scores(features)
        return max(scores, key=scores.__getitem__)


# -- the cut --------------------------------------------------------------------


class SectionTagger:
    """Set ``doc.spans["sections"]``: contiguous typed segments covering the text."""

    def __init__(self, nlp: Language, name: str = "lawie_sections") -> None:
        self.name = name
        self.header_model = LinearModel()
        self.heading_model = LinearModel()

    def header_end(self, lines: list[Line]) -> int:
        """How many of ``lines`` (all before the first heading) are header."""
        for i, line in enumerate(lines):
            if is_addressee(line.text):
                return i  # the addressee opens the body
        if not self.header_model:
            return _header_end_by_rule(lines)
        probs = [
            min(max(self.header_model.probability(header_features(line.text, i), "HEADER"), 1e-6), 1 - 1e-6)
            for i, line in enumerate(lines)
        ]
        # The prefix of header lines that agrees best with the per-line probabilities.
        best, best_k = sum(math.log(1 - p) for p in probs), 0
        score = best
        for k, p in enumerate(probs, 1):
            score += math.log(p) - math.log(1 - p)
            if score > best:
                best, best_k = score, k
        return best_k

    def heading_label(self, heading: str, body: str = "", year: int | None = None, duty_report: bool = False) -> str:
        """The type of a top-level section: cue words, then a year after the report's (PLANS),
        the leaders' duty in a report about that duty, then the heading model, which only
        tells work done from the leaders' duty."""
        cue = cue_label(heading)
        if cue is not None:
            return cue
        if duty_report and _DUTY_HEADING.search(heading):
            return "LEADERSHIP"
        m = _YEAR.search(heading)
        if m and year and int(m.group(1)) > year:
            return "PLANS"
        if self.heading_model:
            scores = self.heading_model.scores(heading_features(heading, body, year))
            return max(("MEASURES", "LEADERSHIP"), key=lambda label: scores.get(label, -math.inf))
        return "MEASURES"

    def segment(self, text: str) -> list[tuple[int, int, str]]:
        """Typed ``(start, end, label)`` segments covering ``text`` (empty for blank text)."""
        lines = lines_of(text)
        if not lines:
            return []
        headings = top_headings(lines)
        first_heading = headings[0] if headings else len(lines)
        closing = _closing_start(lines, after=headings[-1] if headings else 0)
        year = report_year(text)

        duty_report = bool(_DUTY_REPORT.search(lines[0].text[:80]))
        cuts: list[tuple[int, str]] = []  # (start, label) in order
        if first_heading and _SUB_ITEM.match(lines[0].text) and not _PAREN_FIRST.match(lines[0].text):
            first_heading = 0  # an excerpt that starts inside a section: no header, no opening
            cuts.append((0, "MEASURES"))
        n_header = self.header_end(lines[: min(first_heading, closing)])
        if n_header:
            cuts.append((0, "HEADER"))
        if n_header < min(first_heading, closing):
            cuts.append((lines[n_header].start, "OVERVIEW"))
        for k, index in enumerate(headings):
            heading, body = heading_text(lines[index].text)
            if not body and index + 1 < len(lines):
                body = lines[index + 1].text
            cuts.append((lines[index].start, self.heading_label(heading, body, year, duty_report)))
            if k == len(headings) - 1:
                cuts.extend(_tail_segments(lines, index + 1, closing, cuts[-1][1]))
        if not headings and n_header < closing:
            cuts.extend(_tail_segments(lines, n_header + 1, closing, "OVERVIEW"))
        if closing < len(lines):
            cuts.append((lines[closing].start, "CLOSING"))
        if not cuts:
            cuts.append((0, "HEADER"))

        merged: list[tuple[int, str]] = []  # a later cut at the same place wins
        for start, label in cuts:
            if merged and start <= merged[-1][0]:
                merged[-1] = (merged[-1][0], label)
            else:
                merged.append((start, label))
        merged[0] = (0, merged[0][1])
        bounds = [s for s, _ in merged] + [len(text)]
        return [(bounds[i], bounds[i + 1], label) for i, (_, label) in enumerate(merged)]

    # -- spaCy --------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        spans = []
        for start, end, label in self.segment(doc_text(doc)):
            span = doc.char_span(start, end, label=label, alignment_mode="expand")
            if span is not None:
                spans.append(span)
        doc.spans[SPANS_KEY] = SpanGroup(doc, name=SPANS_KEY, spans=spans)
        return doc

    def pipe(self, stream: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        for doc in stream:
            yield self(doc)

    def initialize(self, get_examples=None, *, nlp=None, header_model: dict | None = None, heading_model: dict | None = None) -> None:
        """Set the two models from training data (``lawie train`` passes them); none: rules only."""
        self.header_model = LinearModel(header_model)
        self.heading_model = LinearModel(heading_model)

    def to_disk(self, path, *, exclude=tuple()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        srsly.write_json(path / MODEL_FILES["header"], self.header_model.data)
        srsly.write_json(path / MODEL_FILES["heading"], self.heading_model.data)

    def from_disk(self, path, *, exclude=tuple()) -> "SectionTagger":
        path = Path(path)
        for key, file in MODEL_FILES.items():
            if not (path / file).exists():
                raise OSError(Errors.E018.format(path=path / file, component=self.name))
        self.header_model = LinearModel(srsly.read_json(path / MODEL_FILES["header"]))
        self.heading_model = LinearModel(srsly.read_json(path / MODEL_FILES["heading"]))
        return self

    def to_bytes(self, *, exclude=tuple()) -> bytes:
        return srsly.msgpack_dumps({"header": self.header_model.data, "heading": self.heading_model.data})

    def from_bytes(self, data: bytes, *, exclude=tuple()) -> "SectionTagger":
        msg = srsly.msgpack_loads(data)
        self.header_model, self.heading_model = LinearModel(msg["header"]), LinearModel(msg["heading"])
        return self


def top_headings(lines: list[Line]) -> list[int]:
    """Indices of the top-level headings: 一、 … in order; else (一) …; else unnumbered heading lines."""
    for pattern in (_TOP, _PAREN):
        found = _numbered(lines, pattern)
        if found:
            return found
    return _unnumbered(lines)


def _numbered(lines: list[Line], pattern: re.Pattern) -> list[int]:
    """Lines numbered by ``pattern`` in sequence from 一 (one number may be lost to garbling)."""
    out: list[int] = []
    last = 0
    for i, line in enumerate(lines):
        m = pattern.match(line.text)
        if not m:
            continue
        number = read_numeral(m.group(1))
        if number is None:
            continue
        if (not out and number == 1) or (out and last < number <= last + 2):
            out.append(i)
            last = int(number)
    return out


def _unnumbered(lines: list[Line]) -> list[int]:
    """Short stand-alone heading lines (no sentence punctuation but a final 。) after body text,
    with body text within the next two lines."""
    out: list[int] = []
    seen_body = False
    for i, line in enumerate(lines[:-1]):
        if len(line.text) >= 40 and _SENTENCE.search(line.text):
            seen_body = True
            continue
        if (
            seen_body
            and 4 <= len(line.text) <= 30
            and not _SENTENCE.search(line.text.rstrip("。"))
            and not _META.search(line.text)
            and not _SUB_ITEM.match(line.text)
            and any(len(nxt.text) >= 40 and _SENTENCE.search(nxt.text) for nxt in lines[i + 1 : i + 3])
        ):
            out.append(i)
    return out


def _header_end_by_rule(lines: list[Line]) -> int:
    """Without a trained model: header runs to the first line that reads like body text."""
    for i, line in enumerate(lines):
        if len(line.text) >= 40 and _SENTENCE.search(line.text) and not _META.search(line.text[:12]):
            return i
    return len(lines)


def _is_closing_line(line: Line) -> bool:
    return bool(_DATE_LINE.match(line.text) or _FURNITURE.search(line.text))


def _closing_start(lines: list[Line], after: int) -> int:
    """Index of the first line of the closing block (len(lines) when there is none)."""
    start = len(lines)
    i = len(lines) - 1
    seen_date = False
    while i > after:
        line = lines[i]
        if _is_closing_line(line):
            seen_date = seen_date or bool(_DATE_LINE.match(line.text))
            start = i
        elif seen_date and len(line.text) <= 60 and not re.search(r"[。;,,]", line.text):
            start = i  # a signature line above the date
        else:
            break
        i -= 1
    return start


def _tail_segments(lines: list[Line], first: int, closing: int, current: str) -> list[tuple[int, str]]:
    """Unnumbered paragraphs after the last numbered section, typed by content."""
    cuts: list[tuple[int, str]] = []
    saw_item = False
    for i in range(first, closing):
        line = lines[i]
        if _SUB_ITEM.match(line.text):
            saw_item = True
            continue
        if current in ("MEASURES", "LEADERSHIP", "OVERVIEW") and (saw_item or current == "OVERVIEW"):
            if _PLAN_START.match(line.text):
                return cuts + [(line.start, "PLANS")]
            if _PROBLEM_START.search(line.text, 0, 80):
                cuts.append((line.start, "PROBLEMS"))
                current = "PROBLEMS"
        if current == "PROBLEMS":
            m = re.search(r"(?:^|(?<=[。;!]))\s*(下一步)", line.text)
            if m:
                return cuts + [(line.start + m.start(1), "PLANS")]
    return cuts


@Language.factory(
    "lawie_sections",
    assigns=["doc.spans"],
    default_config={},
)
def make_sections(nlp: Language, name: str) -> SectionTagger:
    return SectionTagger(nlp, name)

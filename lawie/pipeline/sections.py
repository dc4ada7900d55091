"""Cut a report into typed sections (HEADER, OVERVIEW, MEASURES, …).

The cut follows ``LABELS.md``: the header block (title, issuer lines, page
metadata) comes first, then the opening (addressee and paragraphs before the
first numbered section), then one segment per top-level section (一、二、…),
typed from its heading; an unnumbered paragraph after the last numbered
section is typed by its content (problems, then plans from ``下一步``), and
the signature, date and page furniture at the end are CLOSING.

Where the boundaries are exact (numbered headings, dates, page furniture) this
is done by rule. A heading's type is read by a statistical classifier
(:class:`HeadingClassifier`, trained by ``lawie train``) when the pipeline has
one, with cue words for the headings it cannot place.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import srsly
from spacy.language import Language
from spacy.tokens import Doc, SpanGroup

from .extensions import doc_text

SECTION_LABELS = ("HEADER", "OVERVIEW", "MEASURES", "LEADERSHIP", "PROBLEMS", "PLANS", "CLOSING")
SPANS_KEY = "sections"

_NUMERALS = "一二三四五六七八九十"
_HEADING = re.compile(rf"^\s*(?:第)?([{_NUMERALS}]{{1,3}})(?:、|\.|．|部分)\s*\S")
_SUB_ITEM = re.compile(r"^\s*(?:\([一二三四五六七八九十0-9]+\)|[一二三四五六七八九十]+是|[0-9]+[、.]|[①-⑳])")
_META = re.compile(
    r"索引号|发布|来源|日期|时间|打印|字体|分类|文号|标题|主题词|时效|浏览|阅读|访问|责任编辑|名称|所属|\|"
)
_ADDRESSEE = re.compile(r"^[^,。;|]{2,30}[::]\s*$")
_DATE_LINE = re.compile(r"^\s*(?:[0-9]{4}\s*年\s*[0-9]{1,2}\s*月\s*[0-9]{1,2}\s*日|[0-9]{4}[-/.][0-9]{1,2}[-/.][0-9]{1,2}|[0-9]{6,8})\s*$")
_FURNITURE = re.compile(r"扫一扫|打印本页|关闭窗口|【打印】|【关闭】|返回顶部|分享到|相关链接|责任编辑|网站地图|主办单位|版权所有|手机上查看")
_PROBLEM_CUE = re.compile(r"问题|不足|差距|短板|薄弱|困难|但.{0,10}存在")
_PLAN_START = re.compile(r"下一步|下一年度|明年")

# Cue words for heading types (the simplified form; text is normalised first).
_CUES = (
    ("LEADERSHIP", re.compile(r"第一责任人|主要负责人.{0,6}履行|履行.{0,10}职责情况")),
    ("PROBLEMS", re.compile(r"问题|不足|差距|短板|困难")),
    ("PLANS", re.compile(r"下一步|打算|思路|安排|计划|展望|下一年|明年|工作重点")),
)


@dataclass(frozen=True)
class _Line:
    start: int  # first non-space character
    end: int  # end of the line, without the newline
    text: str

    @property
    def blank(self) -> bool:
        return not self.text.strip()


def _lines(text: str) -> list[_Line]:
    out, pos = [], 0
    for raw_line in text.split("\n"):
        stripped = raw_line.lstrip()
        out.append(_Line(pos + len(raw_line) - len(stripped), pos + len(raw_line), stripped))
        pos += len(raw_line) + 1
    return [line for line in out if not line.blank]


def cue_label(heading: str) -> str | None:
    """The section type that cue words in ``heading`` give, or None."""
    for label, pattern in _CUES:
        if pattern.search(heading):
            return label
    return None


class HeadingClassifier:
    """A linear classifier over character n-grams of a section heading.

    Trained with scikit-learn by ``lawie train``; stored as plain JSON
    (vocabulary, weights) so loading needs no pickle and no scikit-learn.
    """

    def __init__(self, data: dict | None = None) -> None:
        self.data = data or {}

    def __bool__(self) -> bool:
        return bool(self.data)

    def scores(self, text: str) -> dict[str, float]:
        vocab: dict[str, int] = self.data["vocab"]
        ngrams = self.data["ngram_range"]
        counts: dict[int, float] = {}
        for n in range(ngrams[0], ngrams[1] + 1):
            for i in range(len(text) - n + 1):
                j = vocab.get(text[i : i + n])
                if j is not None:
                    counts[j] = counts.get(j, 0.0) + 1.0
        norm = sum(v * v for v in counts.values()) ** 0.5 or 1.0
        out = {}
        for label, weights, bias in zip(self.data["labels"], self.data["coef"], self.data["intercept"]):
            out[label] = bias + sum(weights[j] * v / norm for j, v in counts.items())
        return out

    def predict(self, text: str) -> str:
        scores = self.scores(text)
        return max(scores, key=scores.__getitem__)


class SectionTagger:
    """Set ``doc.spans["sections"]``: contiguous typed segments covering the text."""

    def __init__(self, nlp: Language, name: str = "lawie_sections", *, use_classifier: bool = True) -> None:
        self.name = name
        self.use_classifier = use_classifier
        self.classifier = HeadingClassifier()

    # -- the cut ------------------------------------------------------------
    def heading_label(self, heading: str) -> str:
        """The type of a numbered section, read from its heading."""
        cue = cue_label(heading)
        if cue is not None:
            return cue
        if self.use_classifier and self.classifier:
            return self.classifier.predict(heading)
        return "MEASURES"

    def segment(self, text: str) -> list[tuple[int, int, str]]:
        """Typed ``(start, end, label)`` segments covering ``text`` (empty for blank text)."""
        lines = _lines(text)
        if not lines:
            return []
        cuts: list[tuple[int, str]] = []  # (start, label) in order
        headings = _numbered_headings(lines)
        first_heading = headings[0] if headings else len(lines)
        closing = _closing_start(lines, after=headings[-1] if headings else 0)

        # Before the first numbered section: HEADER, then OVERVIEW.
        overview = _overview_start(lines[:first_heading])
        cuts.append((0, "HEADER"))
        if overview is not None:
            cuts.append((lines[overview].start, "OVERVIEW"))

        for k, index in enumerate(headings):
            cuts.append((lines[index].start, self.heading_label(lines[index].text)))
            if k == len(headings) - 1:
                cuts.extend(_tail_segments(lines, index + 1, closing, cuts[-1][1], text))
        if not headings and overview is not None:
            cuts.extend(_tail_segments(lines, overview + 1, closing, "OVERVIEW", text))
        if closing < len(lines):
            cuts.append((lines[closing].start, "CLOSING"))

        # Merge repeated starts (the later cut wins) and build contiguous segments.
        merged: list[tuple[int, str]] = []
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

    def to_disk(self, path, *, exclude=tuple()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        srsly.write_json(path / "classifier.json", self.classifier.data)

    def from_disk(self, path, *, exclude=tuple()) -> "SectionTagger":
        file = Path(path) / "classifier.json"
        self.classifier = HeadingClassifier(srsly.read_json(file) if file.exists() else None)
        return self

    def to_bytes(self, *, exclude=tuple()) -> bytes:
        return srsly.msgpack_dumps(self.classifier.data)

    def from_bytes(self, data: bytes, *, exclude=tuple()) -> "SectionTagger":
        self.classifier = HeadingClassifier(srsly.msgpack_loads(data))
        return self


def _numbered_headings(lines: list[_Line]) -> list[int]:
    """Indices of top-level headings, numbered 一、二、… in order (one may be lost to garbling)."""
    out: list[int] = []
    last = 0
    for i, line in enumerate(lines):
        m = _HEADING.match(line.text)
        if not m or len(line.text) > 80:
            continue
        number = _chinese_number(m.group(1))
        if number is None:
            continue
        if (not out and number == 1) or (out and last < number <= last + 2):
            out.append(i)
            last = number
    return out


def _chinese_number(s: str) -> int | None:
    digits = {c: i + 1 for i, c in enumerate("一二三四五六七八九")}
    if s == "十":
        return 10
    if len(s) == 1:
        return digits.get(s)
    if len(s) == 2 and s[0] == "十":
        return 10 + digits.get(s[1], 0)
    if len(s) == 2 and s[1] == "十":
        return 10 * digits.get(s[0], 0)
    return None


def _overview_start(lines: list[_Line]) -> int | None:
    for i, line in enumerate(lines):
        if i == 0:
            continue  # the first line is the title
        if _ADDRESSEE.match(line.text) and not _META.search(line.text):
            return i
        is_meta = bool(_META.search(line.text[:12])) or "|" in line.text
        if not is_meta and len(line.text) >= 40 and re.search(r"[,。;,]", line.text):
            return i
    return None


def _is_closing_line(line: _Line) -> bool:
    return bool(_DATE_LINE.match(line.text) or _FURNITURE.search(line.text))


def _closing_start(lines: list[_Line], after: int) -> int:
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


def _tail_segments(
    lines: list[_Line], first: int, closing: int, current: str, text: str
) -> list[tuple[int, str]]:
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
            if _PROBLEM_CUE.search(line.text[:80]):
                cuts.append((line.start, "PROBLEMS"))
                current = "PROBLEMS"
        if current == "PROBLEMS":
            m = re.search(r"(?:^|(?<=[。;!]))\s*(下一步)", line.text)
            if m:
                return cuts + [(line.start + m.start(1), "PLANS")]
    return cuts


@Language.factory(
    "lawie_sections",
    default_config={"use_classifier": True},
    default_score_weights={"sections_acc": 1.0},
)
def make_sections(nlp: Language, name: str, use_classifier: bool) -> SectionTagger:
    return SectionTagger(nlp, name, use_classifier=use_classifier)

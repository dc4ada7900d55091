"""Report metadata: the ``lawie_meta`` component sets ``doc._.meta``.

``doc._.meta`` is a dict with

- ``title``: the report's title (a 标题/名称 field of the page's table, else the
  first header line that names a report);
- ``issuer``: the body that issued it — the organisation that opens the title,
  else the issuing-body lines above the title, else the page's 发布机构 field,
  else the signature; with two issuers (party committee and government) the
  government body is taken;
- ``year``: the year reported on (关于2023年度… in the title, else the opening
  sentence 2022年,…), not the year of publication;
- ``published``: the publication date in ISO 8601 (the page's 发布日期 field,
  else the date under the signature);
- ``doc_number``: the document number (示范区发〔2018〕7号), from the 文号 field
  or a header line of its own;
- ``addressee``: the addressee line (市政府:) without its colon.

Any field the text does not state is ``None``. The component runs last, after
the entities and sections are set: it reads the HEADER, OVERVIEW and CLOSING
sections, and the ORG entities where the text's own shape is not enough.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import date

from spacy.language import Language
from spacy.tokens import Doc

from .extensions import doc_text
from ..text.fields import ISSUER_LABELS
from ..text.numerals import read_numeral
from .sections import SPANS_KEY, is_addressee

META_FIELDS = ("title", "issuer", "year", "published", "doc_number", "addressee")

_ORG_SUFFIX = (
    r"(?:人民政府|政府|管委会|管理委员会|委员会|工委|党工委|党委|党组|人大常委会|政协|"
    r"司法局|局|厅|办公室|法院|检察院)"
)
_GOVERNMENT = re.compile(r"(?:人民政府|政府|管委会|管理委员会)$")
_ISSUER_LINE = re.compile(r"^[^|:,。;]{2,60}$")
_ORG_LINE = re.compile(rf"^[^\s,。;:|]{{2,40}}?{_ORG_SUFFIX}$")
# An issuer that opens the title: 北京市大兴区人民政府2023年…, 庐阳区人民政府关于…
_TITLE_ISSUER = re.compile(
    rf"^(?!关于)(?P<org>[^\s,。;:|0-9“”《》]{{2,40}}?{_ORG_SUFFIX})(?=关于|[0-9]{{4}}|年度|法治|法制|依法行政|推进|建设)"
)
_REPORT_WORD = re.compile(r"报告|情况|总结|年报")
_KEY = r"(?:^|(?<=\|)|(?<=\s))\s*"
_FIELD_TITLE = re.compile(_KEY + r"(?:标题|名称|题名|文件名称)\s*[|:]\s*(?P<val>[^|\n]+)")
_FIELD_ISSUER = re.compile(_KEY + rf"(?:{'|'.join(ISSUER_LABELS)})\s*[|:]\s*(?P<val>[^|\n]+)")
_FIELD_NUMBER = re.compile(_KEY + r"(?:文号|发文字号)\s*[|:]\s*(?P<val>[^|\n]*)")
_DATE = r"(?P<y>[0-9]{4})\s*[-/.年]\s*(?P<m>[0-9]{1,2})\s*[-/.月]\s*(?P<d>[0-9]{1,2})"
_FIELD_PUBLISHED = re.compile(r"(?:发布日期|发布时间|发表时间|日期|发文日期|成文日期|印发日期)\s*[|:]\s*" + _DATE)
_CN_DATE = re.compile(
    r"^\s*(?P<y>[0-9〇零一二三四五六七八九]{4})\s*年\s*(?P<m>[0-9一二三四五六七八九十]{1,3})\s*月"
    r"\s*(?P<d>[0-9一二三四五六七八九十]{1,3})\s*日\s*$"
)
_DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,12}[〔\[(][0-9]{4}[〕\])]\s*[0-9]{1,5}\s*号")
_TITLE_YEAR = re.compile(r"(?<![0-9])(?P<y>[0-9]{4})\s*年(?!\s*[0-9]{1,2}\s*月)")
_OPENING_YEAR = re.compile(r"^\s*(?P<y>[0-9]{4})\s*年度?\s*(?:,|以来|是|全年|,|我|在|以)")
_REPORTED_YEAR = re.compile(r"现将[^。\n]{0,20}?(?P<y>[0-9]{4})\s*年度?[^。\n]{0,30}?报告如下")
_CN_DIGITS = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"零": "0"}


def _year(value: str) -> int | None:
    year = int(value)
    return year if 1949 <= year <= 2100 else None


def _iso_date(y: str, m: str, d: str) -> str | None:
    """``YYYY-MM-DD`` from year, month and day written in digits or Chinese numerals."""
    try:
        year = int("".join(_CN_DIGITS.get(c, c) for c in y))
        month = int(m) if m.isdigit() else int(read_numeral(m) or 0)
        day = int(d) if d.isdigit() else int(read_numeral(d) or 0)
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _lines(text: str, start: int, end: int) -> list[tuple[int, str]]:
    """``(offset, line)`` for the non-blank lines of ``text[start:end]``."""
    out, pos = [], start
    for line in text[start:end].split("\n"):
        if line.strip():
            out.append((pos + len(line) - len(line.lstrip()), line.strip()))
        pos += len(line) + 1
    return out


def _pick(candidates: list[str]) -> str | None:
    """The government body among joint issuers, else the first."""
    for name in candidates:
        if _GOVERNMENT.search(name):
            return name
    return candidates[0] if candidates else None


def _line_orgs(offset: int, line: str, orgs: list[tuple[int, int, str]]) -> list[str]:
    """The organisations named on an issuer or signature line.

    A line that is one organisation name as a whole (某某县人民政府) is taken
    whole, even where an ORG entity covers only part of it; a line that names
    several (中共…工委 …管委会) gives its ORG entities.
    """
    found = [name for s, e, name in orgs if offset <= s < offset + len(line)]
    if len(found) <= 1 and _ORG_LINE.match(line):
        return [line]
    return found


class MetaReader:
    """Read ``doc._.meta`` from the header, opening and closing of a report."""

    def __init__(self, nlp: Language | None = None, name: str = "lawie_meta") -> None:
        self.name = name

    def read(self, doc: Doc) -> dict[str, object]:
        """The metadata of ``doc`` (see the module docstring)."""
        segments = [(s.start_char, s.end_char, s.label_) for s in doc.spans.get(SPANS_KEY, [])]
        orgs = [(e.start_char, e.end_char, e.text) for e in doc.ents if e.label_ == "ORG"]
        return self.read_text(doc_text(doc), segments, orgs)

    def read_text(
        self, text: str, segments: list[tuple[int, int, str]], orgs: list[tuple[int, int, str]]
    ) -> dict[str, object]:
        """The metadata of a clean ``text`` with its typed ``segments`` and ``orgs`` (``(start, end, name)``)."""
        regions = self._regions(text, segments)
        header = _lines(text, *regions["HEADER"])
        overview = _lines(text, *regions["OVERVIEW"])
        closing = _lines(text, *regions["CLOSING"])
        if not closing:  # no CLOSING section: the signature may still close the text
            closing = _lines(text, 0, len(text))[-3:]

        title, title_at = self._title(header)
        return {
            "title": title,
            "issuer": self._issuer(header, closing, title, title_at, orgs),
            "year": self._year(title, overview[:3] + [(o, line) for o, line in header if o > title_at]),
            "published": self._published(header, closing),
            "doc_number": self._doc_number(header),
            "addressee": self._addressee(header + overview[:2]),
        }

    @staticmethod
    def _regions(text: str, segments: list[tuple[int, int, str]]) -> dict[str, tuple[int, int]]:
        """Character ranges of HEADER, OVERVIEW and CLOSING (the first and last lines without sections)."""
        n = len(text)
        regions = {"HEADER": (0, 0), "OVERVIEW": (0, 0), "CLOSING": (n, n)}
        if segments:
            for start, end, label in segments:
                if label in regions and regions[label][0] == regions[label][1]:
                    regions[label] = (start, end)
            return regions
        lines = _lines(text, 0, n)
        if lines:
            head_end = lines[min(len(lines), 8) - 1][0] + len(lines[min(len(lines), 8) - 1][1])
            regions["HEADER"] = (0, head_end)
            regions["CLOSING"] = (lines[max(0, len(lines) - 3)][0], n)
        return regions

    # -- fields -------------------------------------------------------------
    @staticmethod
    def _title(header: list[tuple[int, str]]) -> tuple[str | None, int]:
        for offset, line in header:
            m = _FIELD_TITLE.search(line)
            if m and m["val"].strip():
                return m["val"].strip(), offset + m.start("val")
        for offset, line in header[:6]:
            if "|" in line or _FIELD_PUBLISHED.search(line) or re.search(r"[,。;]", line):
                continue
            if _REPORT_WORD.search(line) and len(line) <= 80:
                return line, offset
        return None, -1

    @staticmethod
    def _issuer(
        header: list[tuple[int, str]],
        closing: list[tuple[int, str]],
        title: str | None,
        title_at: int,
        orgs: list[tuple[int, int, str]],
    ) -> str | None:
        # 1. the organisation that opens the title
        if title:
            m = _TITLE_ISSUER.match(title)
            if m:
                return m["org"]
            for s, e, name in orgs:
                if s == title_at:
                    return name
        # 2. issuing-body lines above the title
        above: list[str] = []
        for offset, line in header:
            if offset >= title_at:
                break
            if not _ISSUER_LINE.match(line):
                continue  # page metadata (来源:…, 索引号 | …) is not an issuing-body line
            above.extend(_line_orgs(offset, line, orgs))
        if above:
            return _pick(above)
        # 3. the page's issuing-body field
        for _, line in header:
            m = _FIELD_ISSUER.search(line)
            if m and m["val"].strip():
                return m["val"].strip()
        # 4. the signature: the lines just above the closing date
        signature: list[str] = []
        for offset, line in closing:
            if _CN_DATE.match(line) or re.match(r"^\s*" + _DATE + r"\s*$", line):
                return _pick(signature)
            if _ISSUER_LINE.match(line):
                signature.extend(_line_orgs(offset, line, orgs))
        return None  # no dated signature

    @staticmethod
    def _year(title: str | None, overview: list[tuple[int, str]]) -> int | None:
        if title:
            m = _TITLE_YEAR.search(title)
            if m:
                return _year(m["y"])
        for _, line in overview:
            m = _OPENING_YEAR.match(line) or _REPORTED_YEAR.search(line)
            if m:
                return _year(m["y"])
        return None

    @staticmethod
    def _published(header: list[tuple[int, str]], closing: list[tuple[int, str]]) -> str | None:
        for _, line in header:
            m = _FIELD_PUBLISHED.search(line)
            if m:
                found = _iso_date(m["y"], m["m"], m["d"])
                if found:
                    return found
        for _, line in reversed(closing):
            m = _CN_DATE.match(line) or re.match(r"^\s*" + _DATE + r"\s*$", line)
            if m:
                found = _iso_date(m["y"], m["m"], m["d"])
                if found:
                    return found
        return None

    @staticmethod
    def _doc_number(header: list[tuple[int, str]]) -> str | None:
        for _, line in header:
            m = _FIELD_NUMBER.search(line)
            if m:
                number = _DOC_NUMBER.search(m["val"])
                return re.sub(r"\s+", "", number.group(0)) if number else None
        for _, line in header:
            m = _DOC_NUMBER.fullmatch(line.strip())
            if m:
                return re.sub(r"\s+", "", m.group(0))
        return None

    @staticmethod
    def _addressee(lines: list[tuple[int, str]]) -> str | None:
        for _, line in lines:
            if is_addressee(line):  # the one test, shared with the section tagger
                return line[:-1].strip()
        return None

    # -- spaCy --------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        doc._.meta = self.read(doc)
        return doc

    def pipe(self, stream: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        for doc in stream:
            yield self(doc)


@Language.factory("lawie_meta", default_config={}, default_score_weights={})
def make_meta(nlp: Language, name: str) -> MetaReader:
    return MetaReader(nlp, name)

"""HTML rendering (lawie.render, Report._repr_html_, ``lawie render``), in a parser and in a real browser."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy import displacy

import lawie
from conftest import ROOT
from lawie.outputs.render import ENTITY_COLORS, SECTION_COLORS, indicator_rows, render_page, render_report
from lawie.report import Entity, Report, Section

SEED = "000_880ad7a322cffbd7"
VOID = {"br", "meta", "link", "hr", "img", "input", "wbr"}
# Tags lawie's own markup uses; anything else in a page came from the report's text.
OWN_TAGS = {
    "html", "head", "meta", "link", "title", "body", "nav", "ol", "li", "a", "hr", "article", "h2", "h3", "div",
    "span", "b", "section", "mark", "br", "aside", "table", "thead", "tbody", "tr", "th", "td", "p",
}  # fmt: skip


class Page(HTMLParser):
    """What a rendered page shows: entity marks, section bands and their text, tags and attributes."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict]] = []
        self.marks: list[dict] = []
        self.sections: list[dict] = []
        self.articles: list[dict] = []
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.feed(html)
        self.close()

    def _inside(self, cls: str) -> bool:
        return any(cls in (attrs.get("class") or "").split() for _, attrs in self.stack)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        classes = (attrs.get("class") or "").split()
        if tag == "mark" and "lawie-ent" in classes:
            self.marks.append({**attrs, "text": ""})
        if tag == "section" and "lawie-section" in classes:
            self.sections.append({**attrs, "text": "", "badge": ""})
        if tag == "article":
            self.articles.append({**attrs, "marks": len(self.marks)})
        if tag not in VOID:
            self.stack.append((tag, attrs))

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        self.text.append(data)
        in_label = self._inside("lawie-ent-label")
        if self._inside("lawie-section-label"):
            self.sections[-1]["badge"] += data
        elif self._inside("lawie-section") and not in_label:
            self.sections[-1]["text"] += data
        if self._inside("lawie-ent") and not in_label:
            self.marks[-1]["text"] += data


def shown(report) -> tuple[list, list]:
    page = Page(render_report(report))
    marks = [(int(m["data-start"]), int(m["data-end"]), m["data-label"], m["text"]) for m in page.marks]
    bands = [(int(s["data-start"]), int(s["data-end"]), s["data-section"], s["text"]) for s in page.sections]
    return marks, bands


def flat(text: str) -> str:
    """Text without newlines: displaCy writes a newline as ``<br>`` (inside an entity, as itself)."""
    return text.replace("\n", "")


def assert_shows(report) -> None:
    """Every entity is marked with its raw text, every section is a band, and the text is all there once."""
    marks, bands = shown(report)
    raw = report.text
    assert marks == [(e.start, e.end, e.label, raw[e.start : e.end]) for e in report.entities]
    assert [(s, e, label) for s, e, label, _ in bands if label] == [(s.start, s.end, s.label) for s in report.sections]
    for start, end, _, text in bands:
        assert flat(text) == flat(raw[start:end])
    assert flat("".join(text for *_, text in bands)) == flat(raw)


def test_seed_reports_show_every_entity_and_section(seed_reports):
    for report in seed_reports.values():
        assert report.entities and report.sections
        assert_shows(report)


@st.composite
def reports(draw):
    alphabet = st.sampled_from(list("审核件%《》区政府\n <>&\"'中 ") + ["\u3000", "\r"])
    text = "".join(draw(st.lists(alphabet, max_size=60)))
    cuts = sorted(set(draw(st.lists(st.integers(0, len(text)), max_size=8))) | {0, len(text)})
    sections = [
        Section(a, b, draw(st.sampled_from(lawie.SECTION_LABELS))) for a, b in zip(cuts, cuts[1:]) if draw(st.booleans())
    ]
    points = sorted(set(draw(st.lists(st.integers(0, len(text)), max_size=10))))
    entities = [
        Entity(a, b, draw(st.sampled_from(lawie.ENTITY_LABELS)), text[a:b])
        for a, b in zip(points[::2], points[1::2])
        if b > a
    ]
    return Report(text=text, entities=entities, sections=sections, meta={})


@settings(max_examples=150, deadline=None)
@given(reports())
def test_any_report_is_shown_whole_and_once(report):
    """Sections with gaps, entities crossing section ends, markup characters: nothing lost, nothing doubled."""
    marks, bands = shown(report)
    raw = report.text
    assert flat("".join(text for *_, text in bands)) == flat(raw)
    # An entity crossing a section end is shown in pieces, each marked with the entity's offsets.
    pieces: dict[tuple, str] = {}
    for start, end, label, text in marks:
        pieces[(start, end, label)] = pieces.get((start, end, label), "") + text
    assert pieces == {(e.start, e.end, e.label): raw[e.start : e.end] for e in report.entities}


def test_markup_in_a_report_is_shown_as_text():
    raw = '<script>alert("x")</script>《<img src=x onerror=alert(1)>条例》审核16件 & <b>粗</b>'
    law = raw.index("《")
    report = Report(
        text=raw,
        entities=[
            Entity(0, 8, "LAW", "<script>"),
            Entity(law, raw.index("》") + 1, 'ORG" onclick="alert(2)', "x", {"subject": "<i>件</i>"}),
            Entity(raw.index("16"), raw.index("16") + 3, "COUNT", "16件", {"value": 16, "subject": "<u>案件</u>"}),
        ],
        sections=[Section(0, len(raw), "MEASURES")],
        meta={"title": "<h1>标题</h1>", "issuer": "<style>body{display:none}</style>"},
    )
    for html in (render_report(report), render_page([report], titles=["<em>a.txt</em>"])):
        page = Page(html)
        assert {tag for tag, _ in page.tags} <= OWN_TAGS
        assert not any(name.startswith("on") for _, attrs in page.tags for name in attrs)
        assert "".join(s["text"] for s in page.sections) == raw
        text = "".join(page.text)
        for piece in ("<u>案件</u>", "<h1>标题</h1>", "<style>body{display:none}</style>"):  # table, header
            assert piece in text
        assert [m["data-label"] for m in page.marks] == ["LAW", 'ORG" onclick="alert(2)', "COUNT"]
    assert "<em>a.txt</em>" in "".join(Page(render_page([report], titles=["<em>a.txt</em>"])).text)


def test_page_is_self_contained(seed_reports):
    html = render_page(list(seed_reports.values()))
    page = Page(html)
    for tag, attrs in page.tags:
        assert tag not in ("script", "iframe", "object", "embed", "img", "style")
        for name in ("src", "href"):
            if name in attrs:
                assert attrs[name].startswith(("#", "data:")), (tag, attrs)
        style = attrs.get("style") or ""
        assert "url(" not in style and "@import" not in style and "@font-face" not in style
    assert html.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in html


def test_page_has_one_article_per_report_with_unique_ids(seed_reports):
    names = list(seed_reports)
    page = Page(render_page(list(seed_reports.values()), titles=names))
    assert [a["data-report"] for a in page.articles] == names
    ids = [attrs["id"] for _, attrs in page.tags if "id" in attrs]
    assert len(ids) == len(set(ids))
    links = [attrs["href"][1:] for tag, attrs in page.tags if tag == "a"]
    assert links and set(links) <= set(ids)
    with pytest.raises(ValueError, match="E060"):
        render_page(list(seed_reports.values()), titles=names[:1])
    one = seed_reports[SEED]  # one report, no title: its own title heads the page
    assert [a["data-report"] for a in Page(render_page(one)).articles] == [one.meta["title"]]


def test_legend_names_every_label_with_its_colour(seed_reports):
    report = seed_reports[SEED]
    page = Page(render_report(report))
    legend = {attrs.get("data-label") or attrs.get("data-section"): attrs for tag, attrs in page.tags if "lawie-legend-item" in (attrs.get("class") or "")}
    assert set(legend) == set(lawie.ENTITY_LABELS) | set(lawie.SECTION_LABELS)
    html = render_report(report)
    for label, color in {**ENTITY_COLORS, **SECTION_COLORS}.items():
        assert color in html, label
    # A mark carries its label's colour.
    law = next(m for m in page.marks if m["data-label"] == "LAW")
    assert ENTITY_COLORS["LAW"] in law["style"]


def test_blank_and_unsectioned_reports():
    page = Page(render_report(Report(text="", entities=[], sections=[], meta={})))
    assert page.sections == [] and page.marks == []
    assert "blank" in "".join(page.text)
    raw = "审核规范性文件16件。"
    report = Report(text=raw, entities=[Entity(7, 10, "COUNT", "16件")], sections=[], meta={})
    marks, bands = shown(report)
    assert bands == [(0, len(raw), "", raw)]
    assert marks == [(7, 10, "COUNT", "16件")]


def test_repr_html_is_a_notebook_fragment(seed_reports):
    report = seed_reports[SEED]
    html = report._repr_html_()
    assert "<html" not in html and "<!DOCTYPE" not in html
    assert html.startswith("<article")
    assert len(Page(html).marks) == len(report.entities)


def test_fallback_table_is_read_from_the_entities():
    raw = "全年审理行政复议案件62件,出庭应诉率100%,投入50万元,依据《条例》。"
    ents = [
        Entity(10, 13, "COUNT", "62件", {"value": 62, "unit": "件", "subject": "行政复议案件"}),
        Entity(20, 24, "RATE", "100%", {"value": 1.0, "metric": "出庭应诉率", "change": None}),
        Entity(27, 31, "MONEY", "50万元", {"value": 500000.0, "currency": "CNY"}),
        Entity(35, 39, "LAW", "《条例》", {"title": "条例"}),
    ]
    # An object without ``indicators()``: the table falls back to COUNT, RATE and MONEY entities.
    plain = SimpleNamespace(text=raw, entities=ents, sections=[Section(0, len(raw), "MEASURES")], meta={})
    rows = indicator_rows(plain)
    assert [(r["label"], r["text"], r["subject"], r["value"]) for r in rows] == [
        ("COUNT", "62件", "行政复议案件", 62),
        ("RATE", "100%", "出庭应诉率", 1.0),
        ("MONEY", "50万元", None, 500000.0),
    ]
    page = Page(render_report(plain, key="k"))
    cells = [attrs for tag, attrs in page.tags if tag == "tr" and "data-start" in attrs]
    assert [int(c["data-start"]) for c in cells] == [10, 20, 27]
    text = "".join(page.text)
    assert "行政复议案件" in text and "500000" in text and "CNY" in text
    links = [attrs["href"] for tag, attrs in page.tags if tag == "a"]
    assert links == ["#k-e10", "#k-e20", "#k-e27"]


def test_table_uses_indicators_when_a_report_has_them():
    datasets = pytest.importorskip("datasets")

    class WithIndicators(Report):
        def indicators(self):
            return datasets.Dataset.from_list([{"indicator": "复议案件数", "value": 62, "start": 3}])

    report = WithIndicators(text="审理了62件。", entities=[Entity(3, 6, "COUNT", "62件")], sections=[], meta={})
    page = Page(render_report(report, key="k"))
    headers = [tag for tag, _ in page.tags if tag == "th"]
    assert len(headers) == 2  # indicator, value ("start" links the row; it is not a column)
    assert "复议案件数" in "".join(page.text)
    assert [attrs["data-start"] for tag, attrs in page.tags if tag == "tr" and "data-start" in attrs] == ["3"]


@pytest.mark.skipif(not hasattr(Report, "indicators"), reason="Report.indicators() has not landed (issue 4)")
def test_seed_table_has_a_row_per_indicator(seed_reports):
    report = seed_reports[SEED]
    rows = indicator_rows(report)
    page = Page(render_report(report))
    assert len([tag for tag, attrs in page.tags if tag == "tr" and "lawie-indicator" in (attrs.get("class") or "")]) == len(rows)


def test_displacy_options_for_users_who_call_displacy(nlp):
    before = {"ents": list(lawie.displacy_options["ents"]), "colors": dict(lawie.displacy_options["colors"])}
    doc = nlp("依据《优化营商环境条例》,全年审理行政复议案件62件,出庭应诉率100%。")
    html = displacy.render(doc, style="ent", options=lawie.displacy_options, jupyter=False)
    labels = {ent.label_ for ent in doc.ents}
    assert {"LAW", "COUNT", "RATE"} <= labels
    for label in labels:
        assert ENTITY_COLORS[label] in html
    spans = displacy.render(doc, style="span", options={**lawie.displacy_options, "spans_key": "sections"}, jupyter=False)
    assert any(SECTION_COLORS[s.label_] in spans for s in doc.spans["sections"])
    render_report(lawie.extract(doc._.raw_text, nlp=nlp))
    assert lawie.displacy_options == before


# --- the command line ---------------------------------------------------------------------------


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "lawie", *args], capture_output=True, cwd=ROOT, timeout=300)


@pytest.mark.slow
def test_cli_renders_files_into_one_page(tmp_path, seed_texts):
    files = [ROOT / "seeds" / f"{name}.txt" for name in sorted(seed_texts)[:2]]
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x80\xff\x80")
    out = tmp_path / "out.html"
    result = run("render", *map(str, files), str(bad), "-o", str(out), "-q")
    assert result.returncode == 1 and "bad.txt" in result.stderr.decode()
    page = Page(out.read_text(encoding="utf-8"))
    assert [a["data-report"] for a in page.articles] == [str(f) for f in files]
    counts = [b["marks"] - a["marks"] for a, b in zip(page.articles, page.articles[1:] + [{"marks": len(page.marks)}])]
    nlp = lawie.load()  # the pipeline the subprocess loaded, as it is now on disk
    assert counts == [len(lawie.extract(f.read_text(encoding="utf-8"), nlp=nlp).entities) for f in files]


@pytest.mark.slow
@pytest.mark.parametrize(
    "args,message",
    [
        (("render", "no/such/file.txt"), "No such file"),
        (("render", "seeds", "-o", "no/such/dir/out.html"), "No such file"),
        (("render", "seeds", "--model", "no/such/model"), "No lawie pipeline"),
    ],
)
def test_cli_render_errors_are_one_line(args, message):
    result = run(*args)
    err = result.stderr.decode()
    assert result.returncode == 2
    assert message in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


# --- a real browser -----------------------------------------------------------------------------

CHROMIUM_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--window-size=1100,720",
)  # fmt: skip

MARKS_JS = """
return Array.from(document.querySelectorAll('mark.lawie-ent')).map(m => {
  const r = m.getBoundingClientRect();
  return {label: m.dataset.label, start: +m.dataset.start, end: +m.dataset.end, text: m.firstChild.data,
          shown: r.width > 0 && r.height > 0, bg: getComputedStyle(m).backgroundColor};
});
"""
SECTIONS_JS = """
function shownText(el) {  // the report's text in a band: every text node but the labels lawie adds
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  let out = '';
  while (walker.nextNode()) {
    if (!walker.currentNode.parentElement.closest('.lawie-ent-label, .lawie-section-label')) out += walker.currentNode.data;
  }
  return out;
}
return Array.from(document.querySelectorAll('section.lawie-section')).map(s => {
  const r = s.getBoundingClientRect();
  const badge = s.querySelector('.lawie-section-label');
  return {label: s.dataset.section, start: +s.dataset.start, end: +s.dataset.end,
          badge: badge ? badge.textContent : null, shown: r.width > 0 && r.height > 0,
          border: getComputedStyle(s).borderLeftColor, text: shownText(s)};
});
"""


def _rgb(hex_color: str) -> str:
    r, g, b = (int(hex_color[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgb({r}, {g}, {b})"


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium through chromedriver (Debian's packages); nothing is downloaded."""
    chromium, driver_path = shutil.which("chromium"), shutil.which("chromedriver")
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        webdriver = None
    missing = [n for n, ok in (("chromium", chromium), ("chromedriver", driver_path), ("selenium", webdriver)) if not ok]
    if missing:
        reason = f"needs {', '.join(missing)}: apt-get install chromium chromium-driver; pip install '.[test]'"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason} (CI must run the browser test)")
        pytest.skip(reason)
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    profile = tempfile.mkdtemp(prefix="lawie-chromium-")
    options.add_argument(f"--user-data-dir={profile}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


def _open(browser, html: str, path: Path) -> list[dict]:
    path.write_text(html, encoding="utf-8")
    browser.get(path.as_uri())
    return browser.get_log("browser")


@pytest.mark.slow
def test_seed_page_in_a_real_browser(browser, seed_reports, tmp_path):
    report = seed_reports[SEED]
    log = _open(browser, render_page([report], titles=[f"{SEED}.txt"]), tmp_path / "page.html")
    assert [entry for entry in log if entry["level"] in ("SEVERE", "WARNING")] == []
    assert browser.execute_script("return document.scripts.length") == 0
    assert browser.execute_script("return performance.getEntriesByType('resource').length") == 0  # nothing fetched

    marks = browser.execute_script(MARKS_JS)
    assert [(m["start"], m["end"], m["label"], m["text"]) for m in marks] == [
        (e.start, e.end, e.label, report.text[e.start : e.end]) for e in report.entities
    ]
    assert all(m["shown"] for m in marks)
    assert all(m["bg"] == _rgb(ENTITY_COLORS[m["label"]]) for m in marks)

    sections = browser.execute_script(SECTIONS_JS)
    assert [(s["start"], s["end"], s["label"], s["badge"]) for s in sections] == [
        (s.start, s.end, s.label, s.label) for s in report.sections
    ]
    assert all(s["shown"] and s["border"] == _rgb(SECTION_COLORS[s["label"]]) for s in sections)
    assert [flat(s["text"]) for s in sections] == [flat(report.text[s.start : s.end]) for s in report.sections]

    rows = browser.execute_script("return document.querySelectorAll('tr.lawie-indicator').length")
    assert rows == len(indicator_rows(report)) > 0

    shots = Path(os.environ.get("LAWIE_SCREENSHOT_DIR") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    shot = shots / f"render-{SEED}.png"
    assert browser.save_screenshot(str(shot))
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.slow
def test_injected_markup_stays_text_in_a_real_browser(browser, tmp_path):
    raw = (
        "<script>window.lawieInjected = 1</script>审核16件"
        '<img src="data:," onload="window.lawieInjected = 2"><style>body{display:none}</style>'
    )
    start = raw.index("16")
    report = Report(
        text=raw,
        entities=[Entity(0, 8, "LAW", "<script>"), Entity(start, start + 3, "COUNT", "16件", {"subject": "<b>x</b>"})],
        sections=[Section(0, len(raw), "MEASURES")],
        meta={"title": "<script>window.lawieInjected = 3</script>"},
    )
    log = _open(browser, render_page([report]), tmp_path / "inject.html")
    assert [entry for entry in log if entry["level"] == "SEVERE"] == []
    assert browser.execute_script("return window.lawieInjected") is None
    assert browser.execute_script("return document.querySelectorAll('script, img, style').length") == 0
    assert [s["text"] for s in browser.execute_script(SECTIONS_JS)] == [raw]
    body = browser.execute_script("return document.body.innerText")
    assert "<script>window.lawieInjected = 3</script>" in body and "<b>x</b>" in body  # title, table
    marks = browser.execute_script(MARKS_JS)
    assert [(m["label"], m["text"], m["shown"]) for m in marks] == [("LAW", "<script>", True), ("COUNT", "16件", True)]

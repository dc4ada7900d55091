"""Any input gives a valid Report: junk, huge texts, broken marks, non-text; cost linear in length."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import weakref
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import lawie
from conftest import lines_run
import lawie.api
from lawie.text.cleaning import clean_text

SENTENCE = "全年审理行政复议案件62件,办结率达98.59%,依据《中华人民共和国行政复议法》,投入资金50万元。"


def check_report(report: lawie.Report, raw: str) -> None:
    """The invariants every report keeps, whatever its input."""
    assert report.text is raw or report.text == raw
    data = report.to_dict()
    json.dumps(data, ensure_ascii=False, allow_nan=False)  # strict JSON: no NaN, no 5 000-digit ints
    last_end = 0
    for ent in data["entities"]:
        assert last_end <= ent["start"] < ent["end"] <= len(raw), ent
        assert ent["label"] in lawie.ENTITY_LABELS
        assert clean_text(raw[ent["start"] : ent["end"]]).text == ent["text"]
        last_end = ent["end"]
    sections = data["sections"]
    if raw.strip():
        assert sections[0]["start"] == 0 and sections[-1]["end"] == len(raw)
        assert all(a["end"] == b["start"] and a["start"] < a["end"] for a, b in zip(sections, sections[1:]))
        assert all(s["label"] in lawie.SECTION_LABELS for s in sections)
    else:
        assert sections == []


def spans(report: lawie.Report) -> list[tuple[int, int, str]]:
    return [(e.start, e.end, e.label) for e in report.entities]


# -- bad input ------------------------------------------------------------------

BAD_INPUTS = {
    "empty": "",
    "blank": " \t\n\u3000\r\n ",
    "controls": "全年\x00审理\x07案件\x1b62件\x7f。",
    "zero-width and BOM": "\ufeff全年\u200b审理\u200d案件\u206062件\u00ad。\ufeff",
    "only invisible": "\u200b\ufeff\u200c",
    "emoji": "👍全年审理案件62件🎉,满意率100%😀。",
    "lone surrogates": "全年\ud800审理案件\udfff62件\udc00。",
    "html": "<html><body><p class=\"x\">全年审理案件<b>62件</b></p><br/>&nbsp;&lt;法&gt;</body></html>",
    "mojibake": "å…¨å¹´å®¡ç†è¡Œæ”¿å¤è®®æ¡ˆä»¶62ä»¶ã€‚" + "È«Äê" * 20,
    "unclosed title": "依据《中华人民共和国行政复议法\n全年审理案件62件。",
    "nested titles": "学习《《关于《条例》的通知》》和《《《《办法》》》》以及》》《",
    "unclosed doc number": "庐政办秘〔2020 9号,《方案(庐政办〔2020〕9号》〔〔〔",
    "long digit runs": "1" * 5000 + "件," + "一" * 3000 + "人," + "9" * 400 + ".5%," + "1,234" * 500 + "万元",
    "thousands of entities": "1 %" * 3000,
    "half a line of marks": "《" * 3000 + SENTENCE + "》" * 3000 + "〔" * 3000,
}


@pytest.mark.parametrize("raw", list(BAD_INPUTS.values()), ids=list(BAD_INPUTS))
def test_bad_input_gives_a_valid_report(raw, nlp):
    check_report(lawie.extract(raw, nlp=nlp), raw)


def test_html_tags_are_never_entities_and_offsets_stay_raw(nlp):
    raw = '<div id="法院"><p>全年审理案件<b>62件</b>,<a href="/《条例》.html">链接</a></p></div>'
    report = lawie.extract(raw, nlp=nlp)
    check_report(report, raw)
    for e in report.entities:  # 法院 and 《条例》 appear only inside tags
        assert "<" not in raw[e.start : e.end] and ">" not in raw[e.start : e.end], e
        assert e.text not in ("法院", "《条例》"), e
    assert ("62件", "COUNT") in {(raw[e.start : e.end], e.label) for e in report.entities}


def test_html_references_are_read_and_keep_their_raw_span(nlp):
    raw = "<p>全年审理行政复议案件&#54;&#50;件</p>"
    report = lawie.extract(raw, nlp=nlp)
    check_report(report, raw)
    counts = [e for e in report.entities if e.label == "COUNT"]
    assert [(e.text, raw[e.start : e.end]) for e in counts] == [("62件", "&#54;&#50;件")]


def test_unclosed_title_ends_within_its_line(nlp):
    raw = BAD_INPUTS["unclosed title"]
    laws = [e for e in lawie.extract(raw, nlp=nlp).entities if e.label == "LAW"]
    assert laws and all("\n" not in raw[e.start : e.end] for e in laws)


def test_fifty_thousand_title_marks_in_a_row(nlp):
    for raw in ("《" * 50_000, "《" * 50_000 + "中", "《" * 50_000 + SENTENCE + "》", "《中" * 25_000, "》" * 50_000):
        check_report(lawie.extract(raw, nlp=nlp), raw)
    raw = "《" * 50_000 + "\n" + SENTENCE
    assert {e.label for e in lawie.extract(raw, nlp=nlp).entities} >= {"COUNT", "RATE", "LAW", "MONEY"}


@pytest.mark.parametrize("bad", [None, 7, 2.5, ["全年审理案件62件"], ("a",), {"text": "x"}, object()])
def test_non_text_names_what_it_got_and_what_is_accepted(bad, nlp):
    with pytest.raises(TypeError) as err:
        lawie.extract(bad, nlp=nlp)
    message = str(err.value)
    assert type(bad).__name__ in message and "str" in message and "bytes" in message


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "utf-16"])
def test_bytes_in_each_accepted_encoding(encoding, nlp):
    raw = "索引号:123\n" + SENTENCE
    report = lawie.extract(raw.encode(encoding), nlp=nlp)
    assert report.text == raw
    assert spans(report) == spans(lawie.extract(raw, nlp=nlp))


def test_undecodable_bytes_name_every_encoding_tried(nlp):
    with pytest.raises(ValueError) as err:
        lawie.extract(b"\x81\x20\xff\xfe\x00" * 10, nlp=nlp)
    for encoding in ("utf-8", "gb18030"):
        assert encoding in str(err.value)


def test_text_longer_than_max_length_is_cut_with_offsets_intact(nlp, seed_texts, monkeypatch):
    raw = "\n".join(seed_texts.values())
    whole = lawie.extract(raw, nlp=nlp)
    monkeypatch.setattr(nlp, "max_length", 4000)
    cut = lawie.extract(raw, nlp=nlp)
    check_report(cut, raw)
    assert spans(cut) == spans(whole)
    assert cut.sections == whole.sections


def test_a_long_line_is_cut_between_entities(nlp, monkeypatch):
    # No newline anywhere: pieces must still end between sentences, losing no entity.
    raw = SENTENCE * 400
    per_sentence = len(lawie.extract(SENTENCE, nlp=nlp).entities)
    monkeypatch.setattr(lawie.api, "PIECE_CHARS", 2000)
    report = lawie.extract(raw, nlp=nlp)
    check_report(report, raw)
    assert len(report.entities) == 400 * per_sentence


@pytest.mark.slow
def test_two_megabytes_without_a_newline(nlp):
    raw = (SENTENCE * (2_000_000 // len(SENTENCE) + 1))[:2_000_000]
    report = lawie.extract(raw, nlp=nlp)
    check_report(report, raw)
    full = raw.count(SENTENCE)
    assert len([e for e in report.entities if e.label == "MONEY"]) == full


# -- property tests ---------------------------------------------------------------

_ADVERSARIAL = st.sampled_from(
    list("《》〔〕()“”\n \t\u3000,。;、%％0123456789.一二十百千万亿余多件人次元个号年法条例办法区政府市委管委会")
    + ["《关于", "的通知》", "条例》", "(试行)", "〔2020〕9号", "百分之", "个百分点", "万元", "12345", "1,000"]
    + ["<p>", "</p>", "&nbsp;", "\u200b", "\ufeff", "\x00", "\ud800", "😀", "陽(yáng)", "區(qū)", "å…¨", "\r\n"]
)
adversarial_texts = st.lists(_ADVERSARIAL, max_size=120).map("".join)
_PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_PROPERTY
@given(st.text(max_size=300))
def test_any_text_gives_a_valid_report(raw):
    check_report(lawie.extract(raw, nlp=_nlp()), raw)


@_PROPERTY
@given(adversarial_texts)
def test_adversarial_text_gives_a_valid_report(raw):
    check_report(lawie.extract(raw, nlp=_nlp()), raw)


@_PROPERTY
@given(st.lists(adversarial_texts | st.text(max_size=100), max_size=8).map("\n".join))
def test_text_cut_into_small_pieces_gives_a_valid_report(raw):
    with mock.patch.object(lawie.api, "PIECE_CHARS", 40):
        check_report(lawie.extract(raw, nlp=_nlp()), raw)


def _nlp():
    # Hypothesis tests cannot take function-scoped fixtures; the cached default pipeline is the fixture's.
    return lawie.api._default_nlp()


# -- streaming and parallelism -------------------------------------------------------


def test_extract_many_streams_its_input(nlp):
    pulled = []

    def texts():
        for i in range(1000):
            pulled.append(i)
            yield SENTENCE

    stream = lawie.extract_many(texts(), nlp=nlp, batch_size=4)
    first = next(stream)
    assert spans(first) == spans(lawie.extract(SENTENCE, nlp=nlp))
    assert len(pulled) <= 8  # one batch ahead at most, not the whole input
    stream.close()


def test_extract_keeps_one_piece_doc_alive_at_a_time(nlp, seed_texts, monkeypatch):
    raw = "\n".join(seed_texts.values()) * 2
    alive: list[weakref.ref] = []
    most = [0]
    add = lawie.api._Assembly.add

    def watched(self, offset, doc):
        alive.append(weakref.ref(doc))
        most[0] = max(most[0], sum(ref() is not None for ref in alive))
        add(self, offset, doc)

    monkeypatch.setattr(lawie.api, "PIECE_CHARS", 2000)
    monkeypatch.setattr(lawie.api._Assembly, "add", watched)
    check_report(lawie.extract(raw, nlp=nlp), raw)
    assert len(alive) > 20 and most[0] <= 3


@pytest.mark.slow
def test_extract_many_in_two_processes_matches_one(nlp, seed_texts, monkeypatch):
    long_text = "\n".join(seed_texts.values())
    texts = list(seed_texts.values()) + ["", "《" * 500, long_text, "全年审理案件62件。"]
    monkeypatch.setattr(lawie.api, "PIECE_CHARS", 5000)  # the long text goes in pieces
    one = [r.to_dict() for r in lawie.extract_many(texts, nlp=nlp, batch_size=2)]
    two = [r.to_dict() for r in lawie.extract_many(texts, nlp=nlp, batch_size=2, n_process=2)]
    assert two == one
    assert one[-1]["entities"] and len(one) == len(texts)


# -- linear cost (counted work and memory, not time) ---------------------------------

_SHAPES = {
    "digits": lambda n: "1" * n,
    "chinese digits": lambda n: "一" * n,
    "thousands": lambda n: "1,234" * (n // 5),
    "title marks": lambda n: "《" * n + "中",
    "title soup": lambda n: "《中" * (n // 2),
    "nested": lambda n: "《《关于《条例》的通知》" * (n // 12),
    "dense entities": lambda n: "1 %" * (n // 3),
    "one long line": lambda n: (SENTENCE * (n // len(SENTENCE) + 1))[:n],
}


@pytest.mark.slow
@pytest.mark.parametrize("shape", list(_SHAPES), ids=list(_SHAPES))
def test_work_grows_linearly(shape, nlp):
    make = _SHAPES[shape]
    small, large = (lines_run(lambda: lawie.extract(make(n), nlp=nlp)) for n in (3000, 12000))
    assert large <= 5 * max(small, 200), (small, large)  # 4x the text, at most ~4x the work


_MEMORY_CHILD = """
import json, sys, tracemalloc
from pathlib import Path
import lawie, lawie.api
lawie.api.PIECE_CHARS = 20_000
# Without the statistical NER, whose working memory is per piece (bounded by the
# piece size) and would hide what lawie itself keeps as the text grows.
nlp = lawie.load(exclude=["ner"])
base = "\\n".join(p.read_text(encoding="utf-8") for p in sorted(Path(sys.argv[1]).glob("*.txt")))
peaks = []
for copies in (2, 8):
    raw = base * copies
    lawie.extract(raw, nlp=nlp)  # warm caches (vocabulary, tables) outside the measure
    tracemalloc.start()
    lawie.extract(raw, nlp=nlp)
    peaks.append((len(raw), tracemalloc.get_traced_memory()[1]))
    tracemalloc.stop()
print(json.dumps(peaks))
"""


@pytest.mark.slow
def test_memory_grows_linearly_and_stays_small(seed_texts):
    # In a fresh process, so what other tests left in this one does not count.
    seeds = Path(__file__).resolve().parents[1] / "seeds"
    out = subprocess.run([sys.executable, "-c", _MEMORY_CHILD, str(seeds)], capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr[-2000:]
    (small, small_peak), (large, large_peak) = json.loads(out.stdout)
    # Each further character costs a few bytes (its clean text, alignment, entities);
    # a whole spaCy Doc per character of text, ~100 bytes, would mean pieces are kept.
    assert (large_peak - small_peak) / (large - small) < 40, (small, small_peak, large, large_peak)


@pytest.mark.slow
def test_pathological_inputs_finish_in_a_child_with_bounded_cpu():
    """A hang guard, not a speed test: each input takes well under a second; the cap is minutes."""
    code = textwrap.dedent(
        """
        import resource, lawie
        resource.setrlimit(resource.RLIMIT_CPU, (240, 240))
        nlp = lawie.load()
        for raw in ("1" * 200_000 + "件", "一" * 200_000, "1,234" * 40_000, "《" * 200_000 + "中",
                    "《中" * 100_000, "1 %" * 30_000, "(" * 100_000 + "陽", "“" * 100_000):
            lawie.extract(raw, nlp=nlp)
        print("done")
        """
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=600)
    assert out.returncode == 0 and out.stdout.strip() == "done", out.stderr[-2000:]

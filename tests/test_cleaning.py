"""Cleaning and the raw↔clean Alignment (lawie.text.cleaning), used by the tokenizer."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lawie.text.cleaning import clean_text


@pytest.mark.parametrize(
    "raw,clean",
    [
        ("陽(yáng)新經(jīng)濟(jì)", "阳新经济"),
        ("《法治政府建设实施纲要(2021—2025年)》", "《法治政府建设实施纲要(2021—2025年)》"),
        ("《条例(试行)》", "《条例(试行)》"),
        ("村(社區(qū))", "村(社区)"),
        ("公共法律服务实现(三级)覆盖", "公共法律服务实现(三级)覆盖"),
        ("ＡＢＣ１２３％", "ABC123%"),
        ("索 引 號 | 63269453", "索引号 | 63269453"),
        ("  2023年,大兴区\n\n\n一、", "2023年,大兴区\n一、"),
        ("日期:2024-03-28 10:49 打印", "日期:2024-03-28 10:49 打印"),
        ("来源:区政府办  日期", "来源:区政府办 日期"),
        ("\ufeff零\u200b宽\x07字符", "零宽字符"),
        ("全角　空格", "全角空格"),
        ("KTV(app)行业", "KTV(app)行业"),
    ],
)
def test_clean_text(raw, clean):
    assert clean_text(raw).text == clean


def test_gloss_belongs_to_the_character_before_it():
    raw = "開(kāi)發(fā)區(qū)管委會(huì)工作"
    norm = clean_text(raw)
    assert norm.text == "开发区管委会工作"
    start, end = norm.to_raw(0, 6)
    assert raw[start:end] == "開(kāi)發(fā)區(qū)管委會(huì)"


def test_lone_surrogate_and_crlf():
    norm = clean_text("甲\ud800乙\r\n丙\r丁")
    assert norm.text == "甲\ufffd乙\n丙\n丁"
    assert len(norm.offsets) == len(norm.text)


def test_traditional_seeds_are_simplified(seed_texts):
    text = clean_text(seed_texts["001_7fd64a31cf2fad1d"]).text
    assert "阳新经济开发区管委会" in text
    assert "(yáng)" not in text and "經" not in text


def test_offsets_of_every_seed_are_monotonic(seed_texts):
    for raw in seed_texts.values():
        norm = clean_text(raw)
        starts, ends = norm.offsets[:, 0], norm.offsets[:, 1]
        assert (starts[1:] > starts[:-1]).all()
        assert (ends > starts).all() and (ends[:-1] <= starts[1:]).all()
        assert ends[-1] <= len(raw)


_ALPHABET = st.sampled_from(
    list("陽新經濟開發區管委會法治政府一二三0123456789%％（）()《》“”,。:\n \t\u3000")
    + ["(yáng)", "(jì)", "(qū)", "\u200b", "\ufeff", "ａ", "x"]
)
raw_texts = st.lists(_ALPHABET, max_size=60).map("".join) | st.text(max_size=80)


@settings(max_examples=300, deadline=None)
@given(raw_texts, st.data())
def test_alignment_properties(raw, data):
    norm = clean_text(raw)
    n = len(norm.text)
    assert norm.offsets.shape == (n, 2)
    if n == 0:
        return
    start = data.draw(st.integers(0, n - 1))
    end = data.draw(st.integers(start + 1, n))
    raw_start, raw_end = norm.to_raw(start, end)
    assert 0 <= raw_start < raw_end <= len(raw)
    piece = norm.text[start:end]
    if piece == piece.strip():
        # Cleaning the raw slice gives the clean slice back.
        assert clean_text(raw[raw_start:raw_end]).text == piece

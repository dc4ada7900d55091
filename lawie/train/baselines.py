"""Baselines that every shipped model is scored beside (``lawie evaluate``)."""

from __future__ import annotations

import re

_TOP = re.compile(r"^\s*[一二三四五六七八九十]{1,3}、")
_BODY = re.compile(r"^\s*(?:(?:19|20)[0-9]{2}年|[^\n]{40,}[,。;])")
_KEYWORDS = (
    ("LEADERSHIP", re.compile(r"第一责任人")),
    ("PROBLEMS", re.compile(r"问题|不足")),
    ("PLANS", re.compile(r"下一步|打算|计划")),
)


def regex_sections(text: str) -> list[tuple[int, int, str]]:
    """A plain heading splitter: header until the first body-like line, then one segment per 一、 heading,
    typed by a few keywords (MEASURES otherwise). The baseline the section tagger must beat."""
    cuts, pos, in_header = [(0, "HEADER")], 0, True
    for line in text.split("\n"):
        start = pos + len(line) - len(line.lstrip())
        if in_header and _BODY.match(line):
            cuts.append((start, "OVERVIEW"))
            in_header = False
        if _TOP.match(line):
            label = next((lab for lab, cue in _KEYWORDS if cue.search(line)), "MEASURES")
            cuts.append((start, label))
            in_header = False
        pos += len(line) + 1
    merged: list[tuple[int, str]] = []
    for start, label in cuts:
        if merged and start <= merged[-1][0]:
            merged[-1] = (merged[-1][0], label)
        else:
            merged.append((start, label))
    bounds = [s for s, _ in merged] + [len(text)]
    return [(bounds[i], bounds[i + 1], lab) for i, (_, lab) in enumerate(merged) if bounds[i] < bounds[i + 1]]

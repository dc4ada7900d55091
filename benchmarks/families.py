"""The adversarial input families of issue 16: one definition, used by ``benchmarks/hostile.py``
(speed beside the seeds) and by ``tests/test_hostile.py`` (linear time under a CPU cap).

Each family maps a size in characters to a text of about that size built to stress one
kind of work: trailer words that are joined from two others, lines dense with figures,
runs of one character of each Unicode category the cleaning tables handle, long numerals.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _rep(unit: str, n: int, pre: str = "", post: str = "") -> str:
    return pre + unit * max(1, (n - len(pre) - len(post)) // len(unit)) + post


def families(root: Path = ROOT) -> dict[str, Callable[[int], str]]:
    """``name → size → text``; ``seeds`` is the reference (the seed reports repeated)."""
    words = json.loads((root / "lawie" / "data" / "values.json").read_text(encoding="utf-8"))
    seeds = "".join(p.read_text(encoding="utf-8") for p in sorted((root / "seeds").glob("*.txt")))
    return {
        "seeds": lambda n: (seeds * (n // len(seeds) + 1))[:n],
        "trailer 均已": lambda n: _rep("均已", n, "", "甲5%。"),
        "trailer 共计": lambda n: _rep("共计", n, "审理案件", "62件。"),
        "subject trailers": lambda n: _rep("".join(words["subject_trailers"]), n, "案件", "62件。"),
        "metric trailers": lambda n: _rep("".join(words["metric_trailers"]), n, "满意率", "98%。"),
        "adverbs": lambda n: _rep("".join(words["verb_adverbs"]), n, "", "受理62件。"),
        "line of figures": lambda n: _rep("审理案件62件,", n),
        "no punctuation": lambda n: _rep("区政府审理行政复议案件六十二件投入资金五十万元", n),
        "run of 一": lambda n: _rep("一", n, "", "件"),
        "fraction 三分之一…": lambda n: _rep("一", n, "三分之"),
        "percent 百分之一…": lambda n: _rep("一", n, "百分之"),
        "digits": lambda n: _rep("1", n, "", "%"),
        "heading lines": lambda n: _rep("一、审理案件62件\n", n),
        "U+0085 run": lambda n: _rep("\x85", n, "a", "b"),
        "U+0085 in a field": lambda n: _rep("\x85", n, "标题:a", "b\n"),
        "U+2028 run": lambda n: _rep("\u2028", n, "a", "b"),
        "U+3000 run": lambda n: _rep("\u3000", n, "a", "b"),
        "spaces in a title": lambda n: _rep(" ", n, "《a", "(办法)》"),
    }

"""Speed of lawie on adversarial input, beside the seeds, in one run (issue 16: within 3x).

    python benchmarks/hostile.py                 # every family at 32,000 characters
    python benchmarks/hostile.py --chars 100000  # another size

Each text goes through ``lawie.extract``, ``indicators()`` and ``to_dict()`` (what a user
runs); the figure is characters per second of CPU time, best of three, and the ratio is the
seeds' speed over the family's (1.0 = as fast as ordinary reports; the target is 3 or less).
"""

from __future__ import annotations

import argparse
import os
import time
import unicodedata

from families import families


def _pad(name: str, width: int) -> str:
    """``name`` padded to ``width`` terminal columns (a CJK character takes two)."""
    columns = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in name)
    return name + " " * max(0, width - columns)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--chars", type=int, default=32_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    import lawie

    nlp = lawie.load()
    lawie.extract("热身。全年审理案件62件,增长5%。", nlp=nlp)
    speeds = {}
    for name, make in families().items():
        raw = make(args.chars)
        best = float("inf")
        for _ in range(args.repeats):
            t0 = time.process_time()
            report = lawie.extract(raw, nlp=nlp)
            report.indicators()
            report.to_dict()
            best = min(best, time.process_time() - t0)
        speeds[name] = len(raw) / best
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"{args.chars:,} characters per text, CPU time, best of {args.repeats}; load average {load} (1, 5, 15 min)")
    print(f"{'family':<22}{'chars/s CPU':>14}{'seeds / family':>16}")
    for name, cps in speeds.items():
        print(f"{_pad(name, 22)}{cps:>14,.0f}{speeds['seeds'] / cps:>16.2f}")
    worst = max((n for n in speeds if n != "seeds"), key=lambda n: speeds["seeds"] / speeds[n])
    print(f"slowest: {worst}, {speeds['seeds'] / speeds[worst]:.2f} x slower than the seeds (target <= 3)")


if __name__ == "__main__":
    main()

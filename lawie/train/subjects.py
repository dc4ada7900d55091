"""Train the subject/metric span picker (``lawie/pipeline/subjects.py``) on the real gold.

    python -m lawie.train.subjects                        # every annotated document -> lawie/data/subjects.json
    python -m lawie.train.subjects --on tune --out F.json # the tuning half only (held-out check), elsewhere

Positives are the candidates whose phrase, once finished as the reader finishes it
(``subjects.finish``), is the gold
``subject``/``metric``; a gold value no candidate reaches (it stands in another
clause) is left out of training. Each ranker is a softmax over a decision's candidates
with an L2 penalty (numpy and scipy, a few seconds); the result is plain JSON in
:class:`~lawie.pipeline.sections.LinearModel`'s format.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from ..pipeline.subjects import (
    ANCHOR,
    DATA_FILE,
    EDGE,
    NULL,
    SIDE,
    anchor_features,
    anchors,
    as_strings,
    ceilings,
    edge_candidates,
    figure_floor,
    finish,
    null_features,
    previous_subject,
    rule_hint,
    side_features,
)
from ..text.cleaning import clean_text
from ..text.numerals import parse_quantity
from .value_accuracy import load, split_of

LABELS = ("COUNT", "RATE")


def gold_field(label: str) -> str:
    return "metric" if label == "RATE" else "subject"


def examples(records: Iterable[dict[str, Any]], rules: Any = None) -> tuple[list, list, list, list]:
    """Anchor and edge training rows: ``(features, y)`` lists."""
    ax, ay, ex, ey = [], [], [], []
    for record in records:
        a = clean_text(record["text"])
        t = a.text
        previous: list[tuple[int, int, str, dict]] = []
        spans = sorted(
            (a.to_clean(s["start"], s["end"]) + (s["label"], s["normalized"]))
            for s in record["spans"]
            if s["label"] in ("COUNT", "RATE", "MONEY", "ORG") and s.get("normalized")
        )
        for (start, end, label, value), ceiling in zip(spans, ceilings([s[:3] for s in spans])):
            if label in LABELS:
                gold = value.get(gold_field(label))
                unit = parse_quantity(t[start:end]).unit if label == "COUNT" else None
                hint = rule_hint(rules, t, start, end, label, unit, previous) if rules else None
                _rows(t, start, end, label, unit, gold, previous, ax, ay, ex, ey, hint, ceiling)
            previous.append((start, end, label, value))
    return ax, ay, ex, ey


def _rows(t, start, end, label, unit, gold, previous, ax, ay, ex, ey, hint=None, ceiling=None) -> None:
    prev = previous_subject(t, start, previous)
    floor = figure_floor(start, previous)
    shared = side_features(t, end, label, unit)
    cands: list[tuple[list[str], bool]] = []
    edge_groups: list[list[tuple[list[str], bool]]] = []
    any_pos = False
    for side, pos in anchors(t, start, end, floor, ceiling):
        rows = []
        hit = False
        for x, values in edge_candidates(t, start, end, label, unit, side, pos, hint, floor, ceiling):
            s, e = (x, pos) if side == "B" else (pos, x)
            ok = gold is not None and finish(t, side, s, e, label, unit) == gold
            hit = hit or ok
            rows.append((as_strings(EDGE[side], values), ok))
        features = as_strings(SIDE[side], shared) + as_strings(ANCHOR[side], anchor_features(t, start, end, label, unit, side, pos, hint))
        cands.append((features, hit))
        if hit:
            edge_groups.append(rows)
        any_pos = any_pos or hit
    null_ok = gold is None
    prev_ok = gold is not None and not any_pos and prev == gold
    if not (any_pos or null_ok or prev_ok):
        return  # not reachable: leave the span out
    empty = null_features(t, start, end, label, unit, prev is not None)
    cands.append((as_strings(NULL["NULL"], empty), null_ok))
    if prev is not None:
        cands.append((as_strings(NULL["PREV"], empty), prev_ok))
    ax.append([f for f, _ in cands])
    ay.append([int(y) for _, y in cands])
    # one edge decision per positive anchor
    for group in edge_groups:
        ex.append([f for f, _ in group])
        ey.append([int(y) for _, y in group])


L2 = 0.1  # the penalty on squared weights (CV over 0.03-10: 0.03-0.3 best)
KEEP = 0.05  # smaller weights are dropped: about four features in five, with the same CV scores


def fit(groups: Sequence[list[list[str]]], ys: Sequence[list[int]], l2: float = L2) -> dict[str, Any]:
    """A softmax over each decision's candidates (a conditional logit), fitted by L-BFGS with an
    L2 penalty: the log-probability of the decision's right candidates is maximised. Returned
    as ``LinearModel`` data (one label, ``yes``); weights under :data:`KEEP` are left out."""
    import numpy as np
    from scipy.optimize import minimize
    from scipy.sparse import csr_matrix

    index: dict[str, int] = {}
    rows, cols, group, right = [], [], [], []
    for g, (cands, y) in enumerate(zip(groups, ys)):
        for features, ok in zip(cands, y):
            for f in dict.fromkeys(features):  # in order: the same file on every run
                rows.append(len(group))
                cols.append(index.setdefault(f, len(index)))
            group.append(g)
            right.append(ok)
    x = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(group), len(index)))
    xt = x.T.tocsr()
    gid, pos, n = np.array(group), np.array(right, dtype=float), len(groups)

    def loss(w: Any) -> tuple[float, Any]:
        s = x @ w
        top = np.full(n, -np.inf)
        np.maximum.at(top, gid, s)
        e = np.exp(s - top[gid])
        z, zr = np.bincount(gid, e, n), np.bincount(gid, e * pos, n)
        d = e / z[gid] - pos * e / zr[gid]  # d loss / d score
        return float(np.log(z).sum() - np.log(zr).sum() + l2 / 2 * w @ w), xt @ d + l2 * w

    w = minimize(loss, np.zeros(len(index)), jac=True, method="L-BFGS-B", options={"maxiter": 500}).x
    keep = {f: round(float(w[i]), 4) for f, i in index.items() if abs(w[i]) >= KEEP}
    return {"labels": ["yes"], "features": list(keep), "coef": [list(keep.values())], "intercept": [0.0]}


def train(records: Sequence[dict[str, Any]]) -> dict[str, Any]:
    from ..pipeline.values import ValueReader

    rules = ValueReader.default()
    records = sorted(records, key=lambda r: r["id"])  # the same model whatever order the files are read in
    ax, ay, ex, ey = examples(records, rules)
    return {
        "_source": "lawie.train.subjects: softmax rankers (L2) over character features, trained on the gold "
        "subjects and metrics of annotations/ (dev, corpus and seeds)",
        "trained_on": sorted({r["id"] for r in records}),
        "anchor": fit(ax, ay),
        "edge": fit(ex, ey),
    }


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--on", choices=("tune", "all"), default="all", help="all documents (default) or the tuning half")
    parser.add_argument("--out", type=Path, default=DATA_FILE)
    args = parser.parse_args(argv)
    records = [r for r in load() if args.on == "all" or split_of(r["id"]) == "tune"]
    data = train(records)
    data["trained_on"] = f"{args.on}: {len(records)} documents"
    args.out.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    print(f"{args.out}: anchor {len(data['anchor']['features'])} features, edge {len(data['edge']['features'])} features")


if __name__ == "__main__":
    main()

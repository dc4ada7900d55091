"""Training data and fitting for the two section models (see :mod:`lawie.pipeline.sections`)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from ..labels import NUMBERED_SECTIONS
from ..pipeline.sections import (
    header_features,
    heading_text,
    heading_features,
    is_addressee,
    lines_of,
    report_year,
    top_headings,
)
from ..text.cleaning import clean_text
from .annotations import section_labels

Example = tuple[list[str], str]


def section_examples(records: Iterable[dict[str, Any]]) -> tuple[list[Example], list[Example]]:
    """Header-line examples and heading examples from gold records, seen as the tagger sees them.

    Header examples are the lines before the first top-level heading the rules
    find (``HEADER`` or ``BODY``, from the gold label of the line's first
    character); heading examples are the headings that open a gold top-level
    section, with the line after them and the report's year.
    """
    header: list[Example] = []
    headings: list[Example] = []
    for record in records:
        gold = section_labels(record)
        aligned = clean_text(record["text"])
        lines = lines_of(aligned.text)
        if not lines:
            continue
        starts = {int(s["start"]) for s in record.get("sections") or []}

        def raw_start(line) -> int:
            return int(aligned.offsets[line.start, 0])

        found = top_headings(lines)
        first = found[0] if found else len(lines)
        for i, line in enumerate(lines[:first]):
            if is_addressee(line.text):
                break
            header.append((header_features(line.text, i), "HEADER" if gold[raw_start(line)] == "HEADER" else "BODY"))
        year = report_year(aligned.text)
        for i, line in enumerate(lines):
            label = gold[raw_start(line)]
            if raw_start(line) in starts and label in NUMBERED_SECTIONS:
                heading, body = heading_text(line.text)
                if not body and i + 1 < len(lines):
                    body = lines[i + 1].text
                headings.append((heading_features(heading, body, year), label))
    return header, headings


def fit_linear(examples: Sequence[Example], *, seed: int = 0, c: float = 1.0) -> dict[str, Any]:
    """A logistic regression over string features, as the plain data :class:`LinearModel` reads."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    labels = sorted({label for _, label in examples})
    if len(labels) < 2:
        return {}
    vectorizer = DictVectorizer()
    x = vectorizer.fit_transform([{f: 1.0 for f in feats} for feats, _ in examples])
    model = LogisticRegression(C=c, max_iter=3000, random_state=seed)
    model.fit(x, [label for _, label in examples])
    coef, intercept = model.coef_, model.intercept_
    if len(model.classes_) == 2:  # binary: one row of weights, for the second class
        coef = np.vstack([-coef[0] / 2, coef[0] / 2])
        intercept = np.array([-intercept[0] / 2, intercept[0] / 2])
    keep = np.flatnonzero(np.abs(coef).max(axis=0) > 1e-4)
    names = vectorizer.get_feature_names_out()
    return {
        "labels": [str(c) for c in model.classes_],
        "features": [str(names[j]) for j in keep],
        "coef": [[round(float(w), 5) for w in row[keep]] for row in coef],
        "intercept": [round(float(b), 5) for b in intercept],
    }


def fit_section_models(records: Sequence[dict[str, Any]], written_headings: Sequence[tuple[str, str]] = (), *, seed: int = 0) -> dict[str, dict]:
    """``{"header_model": …, "heading_model": …}`` for :meth:`SectionTagger.initialize`."""
    header, headings = section_examples(records)
    headings = headings + [(heading_features(text, "", None), label) for text, label in written_headings]
    return {"header_model": fit_linear(header, seed=seed), "heading_model": fit_linear(headings, seed=seed)}

"""Shared fixtures: the shipped pipeline is loaded once per test session."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

import lawie

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
ANNOTATIONS = ROOT / "annotations" / "seeds.jsonl"


@pytest.fixture(scope="session")
def nlp():
    return lawie.load()


@pytest.fixture(scope="session")
def seed_texts() -> dict[str, str]:
    return {p.stem: p.read_text(encoding="utf-8") for p in SEEDS}


@pytest.fixture(scope="session")
def gold() -> list[dict]:
    return [json.loads(line) for line in ANNOTATIONS.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="session")
def seed_reports(nlp, seed_texts) -> dict[str, lawie.Report]:
    return {name: lawie.extract(text, nlp=nlp) for name, text in seed_texts.items()}


def lines_run(fn: Callable[[], object]) -> int:
    """Python lines executed inside lawie while ``fn()`` runs: work counted, not timed."""
    count = 0
    package = lawie.__file__.rsplit("/", 1)[0]

    def local(frame, event, arg):
        nonlocal count
        count += event == "line"
        return local

    def tracer(frame, event, arg):
        return local if frame.f_code.co_filename.startswith(package) else None

    sys.settrace(tracer)
    try:
        fn()
    finally:
        sys.settrace(None)
    return count

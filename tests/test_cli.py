"""The ``lawie`` command, run as a subprocess the way users run it."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest

from conftest import ROOT, SEEDS

pytestmark = pytest.mark.slow


def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "lawie", *args], input=stdin, capture_output=True, cwd=ROOT, timeout=300
    )


def test_version():
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.decode().startswith("lawie ")


def test_extract_folder_to_jsonl(tmp_path):
    out = tmp_path / "out.jsonl"
    result = run("extract", str(ROOT / "seeds"), "-o", str(out))
    assert result.returncode == 0, result.stderr.decode()
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["file"] for r in rows] == [str(p) for p in SEEDS]
    for row in rows:
        raw = open(row["file"], encoding="utf-8").read()
        assert row["sections"][-1]["end"] == len(raw)
        assert row["entities"]


def test_stdin_and_csv():
    result = run("extract", "-", "--format", "csv", stdin="全年审理行政复议案件62件。".encode("gb18030"))
    assert result.returncode == 0, result.stderr.decode()
    reader = csv.DictReader(io.StringIO(result.stdout.decode("utf-8")))
    rows = list(reader)
    # one row per indicator: what is counted, its value and unit, the sentence
    assert reader.fieldnames[:6] == ["file", "issuer", "year", "section", "label", "indicator"]
    assert len(rows) == 1 and rows[0]["file"] == "-"
    row = rows[0]
    assert (row["label"], row["indicator"], row["value"], row["unit"]) == ("COUNT", "行政复议案件", "62", "件")
    assert (row["start"], row["end"], row["sentence"]) == ("10", "13", "全年审理行政复议案件62件。")


def test_undecodable_file_is_named_and_the_rest_goes_on(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("审核行政规范性文件16件。", encoding="utf-8")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x80\xff\x80")
    result = run("extract", str(tmp_path))
    assert result.returncode == 1
    assert "bad.txt" in result.stderr.decode()
    assert "Traceback" not in result.stderr.decode()
    lines = result.stdout.decode().splitlines()
    assert len(lines) == 1 and json.loads(lines[0])["file"].endswith("good.txt")


@pytest.mark.parametrize(
    "args,message",
    [
        (("extract", "no/such/file.txt"), "No such file"),
        (("extract", "seeds", "--format", "xml"), "Unknown format"),
        (("extract", "seeds", "--model", "no/such/model"), "No lawie pipeline"),
    ],
)
def test_user_errors_are_one_line(args, message):
    result = run(*args)
    err = result.stderr.decode()
    assert result.returncode == 2
    assert message in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1

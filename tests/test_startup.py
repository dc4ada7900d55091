"""Start-up: ``lawie --help``/``--version`` and ``import lawie`` import no spaCy; one small file imports nothing it does not need."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import lawie

HEAVY = ("spacy", "thinc", "numpy", "cn2an", "datasets", "sklearn", "scipy", "pandas", "tqdm", "matplotlib")


def imported(code: str, *args: str) -> set[str]:
    """Top-level packages of the modules loaded after running ``code`` in a fresh interpreter."""
    probe = (
        "import sys, json\n"
        f"sys.argv = ['lawie', *{list(args)!r}]\n"
        "try:\n"
        f"    exec({code!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        "sys.stdout.flush()\n"
        "sys.stderr.write('\\nMODULES ' + json.dumps(sorted({m.split('.')[0] for m in sys.modules})) + '\\n')\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    line = [x for x in out.stderr.splitlines() if x.startswith("MODULES ")][-1]
    return set(json.loads(line[len("MODULES "):]))


@pytest.mark.parametrize("flag", ["--version", "--help"])
def test_version_and_help_do_not_import_spacy(flag):
    modules = imported("from lawie.cli import main; sys.exit(main(sys.argv[1:]))", flag)
    assert not modules & set(HEAVY), sorted(modules & set(HEAVY))


def test_python_m_lawie_version_imports_no_spacy():
    out = subprocess.run([sys.executable, "-X", "importtime", "-m", "lawie", "--version"], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0 and out.stdout.strip() == f"lawie {lawie.__version__}"
    names = {line.rsplit("|", 1)[-1].strip() for line in out.stderr.splitlines() if line.startswith("import time:")}
    assert "lawie.cli" in names
    assert not {n for n in names if n.split(".")[0] in HEAVY}


def test_import_lawie_is_light_and_names_load_on_use():
    modules = imported("import lawie; assert lawie.__version__")
    assert "spacy" not in modules
    assert set(lawie.__all__) <= set(dir(lawie))
    assert lawie.extract is lawie.api.extract and lawie.Report is lawie.report.Report
    fresh = imported("import lawie; assert lawie.api.PIECE_CHARS and lawie.labels.ENTITY_LABELS; print(lawie.text.cleaning)")
    assert {"spacy", "lawie"} <= fresh  # submodules are still reachable as attributes
    with pytest.raises(AttributeError):
        lawie.no_such_name  # noqa: B018


@pytest.mark.slow
def test_one_small_file_imports_only_what_it_needs(tmp_path):
    path = tmp_path / "one.txt"
    # a numbered heading and a common Chinese numeral: read without cn2an (lawie.text.numerals.SMALL_NUMERALS)
    path.write_text("一、主要举措\n区政府全年审理行政复议案件六十二件,同比增长5%,投入50万元。\n", encoding="utf-8")
    modules = imported("from lawie.cli import main; sys.exit(main(sys.argv[1:]))", "extract", "-q", str(path))
    assert "spacy" in modules  # the pipeline did run
    # (tqdm is imported by spaCy itself.)
    assert not modules & {"cn2an", "datasets", "sklearn", "scipy", "pandas", "matplotlib"}, sorted(modules & set(HEAVY))

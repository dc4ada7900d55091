"""The annotator loop of issue 14: corrections that take, before/after, where models live,
data hygiene, formats (and the docs' own commands), feedback."""

from __future__ import annotations

import io
import json
import os
import re
import shlex
import shutil
import sys
from pathlib import Path

import pytest

import lawie
from lawie import api, cli
from lawie.files import progress_bar
from lawie.train.annotations import convert, detect_format, read_jsonl, write_jsonl

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "004_07ddf58672798297.txt"

# A short report: 青林县人民政府 three times, where the rules find only 县人民政府 [2,7);
# and phrases a small NER labels on its own (区人大常委会, 区委常委会, 政协委员).
REPORT = (
    "青林县人民政府2023年法治政府建设情况报告\n"
    "一、2023年,青林县人民政府坚持依法行政,县司法局组织培训12次,在区委常委会、区政府常务会上学法4次。\n"
    "二、青林县人民政府自觉接受人大政协监督,定期向区人大常委会报告工作,办理政协委员提案11件,覆盖率达98%。\n"
)
OTHER = "三、明年,青林县人民政府将继续定期向区人大常委会报告工作,在区委常委会上学法,回复政协委员提案。\n"
CORRECTED = "青林县人民政府"


def spans_of(nlp, text: str) -> set[tuple[int, int, str]]:
    return {(e.start, e.end, e.label) for e in lawie.extract(text, nlp=nlp).entities}


# -- 1. corrections win; 2. the before/after table ---------------------------------------


@pytest.mark.slow
def test_rule_and_ner_corrections_take_after_one_train_add(tmp_path, capsys):
    from lawie.train.evaluate import rules_only

    annotations = tmp_path / "annotations"
    annotations.mkdir()
    dev = (ROOT / "annotations" / "dev.jsonl").read_text(encoding="utf-8").splitlines()
    (annotations / "dev.jsonl").write_text("\n".join(dev[:6]) + "\n", encoding="utf-8")
    model = tmp_path / "model"
    # Four epochs: a small NER that labels some phrases of its own in the report (at two it labels none).
    tiny = ["--annotations", str(annotations), "--output", str(model), "--synthetic", "0", "--epochs", "4"]
    assert cli.main(["train", *tiny, "--quiet"]) == 0

    # What the small pipeline returns on the report, and which of it its NER made.
    nlp = lawie.load(model)
    predicted = spans_of(nlp, REPORT)
    by_rules = spans_of(rules_only(nlp), REPORT)
    places = [m.start() for m in re.finditer(CORRECTED, REPORT)]
    assert len(places) == 3
    for start in places:
        assert (start + 2, start + 7, "ORG") in by_rules  # the rules' 县人民政府 [2,7)
        assert (start, start + 7, "ORG") not in predicted
    ner_made = sorted(s for s in predicted - by_rules if not any(p <= s[0] < p + 7 for p in places))
    assert ner_made, "the small NER labels nothing of its own in the report"
    dropped = ner_made[0]
    dropped_text = REPORT[dropped[0] : dropped[1]]

    # The annotator's correction: 青林县人民政府 at [0,7) in three places, the NER span removed.
    gold = {s for s in predicted if not any(p <= s[0] < p + 7 for p in places)} - {dropped}
    gold |= {(p, p + 7, "ORG") for p in places}
    record = {
        "id": "qinglin-2023",
        "text": REPORT,
        "spans": [{"start": s, "end": e, "label": lab} for s, e, lab in sorted(gold)],
        "sections": [sec.to_dict() for sec in lawie.extract(REPORT, nlp=nlp).sections],
    }
    export = tmp_path / "export.jsonl"
    write_jsonl(convert([record], "lawie", "labelstudio"), export)  # as Label Studio exports it
    capsys.readouterr()
    assert cli.main(["train", *tiny, "--add", str(export)]) == 0
    out, err = capsys.readouterr()

    new = lawie.load(model)
    after = spans_of(new, REPORT)
    for p in places:
        assert (p, p + 7, "ORG") in after and (p + 2, p + 7, "ORG") not in after
    assert dropped not in after
    # The same strings in another text.
    other = spans_of(new, OTHER)
    start = OTHER.index(CORRECTED)
    assert (start, start + 7, "ORG") in other
    assert not any(OTHER[s:e] == dropped_text and lab == dropped[2] for s, e, lab in other)

    # The before/after table: added documents, every document, per label; documents that got worse.
    assert "added documents" in out and "all annotated" in out
    for label in lawie.ENTITY_LABELS:
        assert re.search(rf"^{label}\s+\d+\s+\d+\s+[01]\.\d{{3}}\s+[01]\.\d{{3}}\s+[+-]\d\.\d{{3}}$", out, re.M), label
    assert "got worse" in out
    added_row = re.search(r"^added documents\s+1\s+([01]\.\d{3})\s+([01]\.\d{3})", out, re.M)
    assert added_row and float(added_row.group(2)) == 1.0 > float(added_row.group(1))
    # Feedback: per-epoch rows and a one-line summary.
    assert "LOSS NER" in err and re.search(r"lawie train: wrote .* in \d+ s", err)
    assert json.loads((model / "meta.json").read_text(encoding="utf-8"))["lawie_training"]["documents"] == 7


# -- 3. where models live ---------------------------------------------------------------


def test_load_order_argument_then_LAWIE_MODEL_then_shipped(tmp_path, monkeypatch):
    copy = tmp_path / "copy"
    shutil.copytree(api.PIPELINE_DIR, copy)
    monkeypatch.delenv(api.MODEL_ENV, raising=False)
    assert api.resolve_model() == (api.PIPELINE_DIR, "shipped")
    monkeypatch.setenv(api.MODEL_ENV, str(copy))
    assert api.resolve_model() == (copy, "LAWIE_MODEL")
    assert api.resolve_model(api.PIPELINE_DIR) == (api.PIPELINE_DIR, "argument")
    nlp = lawie.load()
    assert nlp.meta["lawie_source"] == {"path": str(copy.resolve()), "selected_by": "LAWIE_MODEL"}
    monkeypatch.setenv(api.MODEL_ENV, str(tmp_path / "missing"))
    with pytest.raises(OSError, match="LAWIE_MODEL"):
        lawie.load()


def test_spacy_load_reads_a_lawie_pipeline_folder():
    import spacy

    assert "lawie_corrections" in spacy.load(api.PIPELINE_DIR).pipe_names


def test_info_says_which_model_and_how(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv(api.MODEL_ENV, raising=False)
    assert cli.main(["info"]) == 0
    out = capsys.readouterr().out
    assert str(api.PIPELINE_DIR.resolve()) in out and "shipped with the package" in out
    import spacy

    assert f"spaCy               {spacy.__version__}" in out and "training documents" in out
    copy = tmp_path / "copy"
    shutil.copytree(api.PIPELINE_DIR, copy)
    monkeypatch.setenv(api.MODEL_ENV, str(copy))
    assert cli.main(["info"]) == 0
    assert "environment variable LAWIE_MODEL" in capsys.readouterr().out
    assert cli.main(["info", "--model", str(copy)]) == 0
    assert "--model argument" in capsys.readouterr().out


@pytest.mark.parametrize("folder", ["site-packages", "dist-packages"])
def test_train_never_writes_into_an_installed_package(tmp_path, folder, capsys):
    (tmp_path / "annotations").mkdir()
    output = tmp_path / "lib" / folder / "lawie" / "model"
    code = cli.main(["train", "--annotations", str(tmp_path / "annotations"), "--output", str(output)])
    err = capsys.readouterr().err
    assert code == 2 and "installed package" in err and len(err.strip().splitlines()) == 1
    assert not output.exists()


def test_train_never_replaces_a_folder_that_is_not_a_pipeline(tmp_path, capsys):
    (tmp_path / "annotations").mkdir()
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "thesis.txt").write_text("precious", encoding="utf-8")
    (tmp_path / "file").write_text("precious", encoding="utf-8")
    for output in ("docs", "file"):
        assert cli.main(["train", "--annotations", str(tmp_path / "annotations"), "--output", str(tmp_path / output)]) == 2
        assert len(capsys.readouterr().err.strip().splitlines()) == 1
    assert (tmp_path / "docs" / "thesis.txt").read_text(encoding="utf-8") == "precious"


def test_default_output_is_a_per_user_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert api.default_output() == tmp_path / "lawie" / "model"
    monkeypatch.delenv("XDG_DATA_HOME")
    assert api.default_output() == Path.home() / ".local" / "share" / "lawie" / "model"


# -- 4. data hygiene ----------------------------------------------------------------------


def _record(rid: str, text: str) -> dict:
    return {"id": rid, "text": text, "spans": [{"start": 0, "end": 3, "label": "ORG"}], "sections": []}


@pytest.mark.parametrize("clash", ["id", "text"])
def test_add_refuses_a_document_already_annotated(tmp_path, clash, capsys):
    annotations = tmp_path / "annotations"
    annotations.mkdir()
    write_jsonl([_record("a", "区政府审理案件")], annotations / "seeds.jsonl")
    add = tmp_path / "add.jsonl"
    write_jsonl([_record("a" if clash == "id" else "b", "区政府审理" if clash == "id" else "区政府审理案件")], add)
    code = cli.main(["train", "--annotations", str(annotations), "--add", str(add), "--output", str(tmp_path / "m")])
    err = capsys.readouterr().err
    assert code == 2 and "--replace" in err and f"same {clash}" in err and len(err.strip().splitlines()) == 1
    assert sorted(p.name for p in annotations.iterdir()) == ["seeds.jsonl"] and not (tmp_path / "m").exists()


def test_a_replaced_document_counts_once(tmp_path):
    from lawie.train.cli import already_annotated
    from lawie.train.training import TrainSettings, gold_records

    annotations = tmp_path / "annotations"
    annotations.mkdir()
    write_jsonl([_record("a", "区政府审理案件"), _record("b", "市政府")], annotations / "seeds.jsonl")
    corrected = [_record("a", "区政府审理案件。"), _record("c", "市政府")]  # same id as a, same text as b
    assert already_annotated(corrected, annotations, replace=True) == []
    write_jsonl(corrected, annotations / "corrections.jsonl")
    records = gold_records(TrainSettings(annotations=annotations))
    assert sorted(r["id"] for r in records) == ["a", "c"]
    assert next(r for r in records if r["id"] == "a")["text"] == "区政府审理案件。"


def test_model_card_wording_comes_from_the_data():
    from lawie.train import model_card

    source = Path(model_card.__file__).read_text(encoding="utf-8")
    assert "annotated twice" not in source and "6 seed" not in source and "{docs['seeds']}" in source


# -- 5. formats -----------------------------------------------------------------------------


def test_format_is_detected_and_a_mismatch_is_one_line(tmp_path, capsys):
    record = _record("a", "区政府审理案件")
    for fmt in ("lawie", "doccano", "labelstudio"):
        src = tmp_path / f"{fmt}.jsonl"
        write_jsonl(convert([record], "lawie", fmt), src)
        assert detect_format(read_jsonl(src)) == fmt
        out = tmp_path / f"{fmt}-back.jsonl"
        assert cli.main(["convert", str(src), "-o", str(out), "--to", "lawie"]) == 0
        assert read_jsonl(out) == [record]
        wrong = "doccano" if fmt != "doccano" else "lawie"
        bad = tmp_path / f"{fmt}-bad.jsonl"
        capsys.readouterr()
        assert cli.main(["convert", str(src), "-o", str(bad), "--from", wrong, "--to", "lawie"]) == 2
        err = capsys.readouterr().err
        assert f"looks like {fmt}" in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err
        assert not bad.exists() and not list(tmp_path.glob(".*partial"))


def test_train_add_checks_the_stated_format(tmp_path, capsys):
    annotations = tmp_path / "annotations"
    annotations.mkdir()
    add = tmp_path / "add.jsonl"
    write_jsonl(convert([_record("a", "区政府")], "lawie", "labelstudio"), add)
    assert cli.main(["train", "--annotations", str(annotations), "--add", str(add), "--format", "doccano", "--output", str(tmp_path / "m")]) == 2
    assert "looks like labelstudio" in capsys.readouterr().err
    assert list(annotations.iterdir()) == []


DOCS = ("README.md", "docs/tutorial.md", "docs/annotation-guide.md")


def doc_commands(name: str) -> list[list[str]]:
    """The ``lawie convert`` and ``lawie annotate`` commands of the bash blocks of a doc."""
    text = (ROOT / name).read_text(encoding="utf-8")
    commands = []
    for block in re.findall(r"```bash\n(.*?)```", text, re.S):
        for line in block.splitlines():
            line = line.split("#", 1)[0].strip()
            if line.startswith(("lawie convert", "lawie annotate")):
                commands.append(shlex.split(line)[1:])
    return commands


def test_the_docs_show_convert_and_annotate():
    assert all(any(c[0] == "annotate" for c in doc_commands(name)) for name in DOCS)
    assert sum(c[0] == "convert" for name in DOCS for c in doc_commands(name)) >= 2


@pytest.mark.parametrize("name", DOCS)
def test_the_docs_convert_and_annotate_commands_run_and_round_trip(name, tmp_path, monkeypatch, capsys):
    """Each command as written, in a temp folder with the files it names; an export is what the
    tool was given (the tasks written just before), so each conversion is a round trip."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "seeds").mkdir()
    (tmp_path / "reports").mkdir()
    shutil.copy(SEED, tmp_path / "seeds" / SEED.name)
    for target in ("new.txt", "reports/new_001.txt", "reports/new_002.txt"):
        shutil.copy(SEED, tmp_path / target)
    reference: dict[str, list[dict]] = {}
    last_tasks = None
    for argv in doc_commands(name):
        if argv[0] == "annotate":
            assert cli.main(argv) == 0, argv
            out = argv[argv.index("-o") + 1]
            last_tasks = out
            lawie_out = tmp_path / "reference.jsonl"
            paths = [a for a in argv[1 : argv.index("-o")]]
            assert cli.main(["annotate", *paths, "-o", str(lawie_out)]) == 0
            reference[out] = read_jsonl(lawie_out)
        else:
            source = argv[1]
            if not Path(source).exists():
                assert last_tasks, f"{name}: {source} comes from no command before it"
                shutil.copy(last_tasks, source)  # the tool's export of the tasks, unchanged
                reference[source] = reference[last_tasks]
            out = argv[argv.index("-o") + 1]
            assert cli.main(argv) == 0, (argv, capsys.readouterr().err)
            target = argv[argv.index("--to") + 1] if "--to" in argv else "lawie"
            back = list(convert(read_jsonl(out), detect_format(read_jsonl(out), target), "lawie"))
            assert back == reference[source], argv
            reference[out] = back
    assert "Traceback" not in capsys.readouterr().err


# -- 6. feedback ------------------------------------------------------------------------------


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_bar_appears_on_a_terminal_and_not_in_a_pipe(monkeypatch):
    monkeypatch.delenv("LAWIE_PROGRESS", raising=False)
    tty, pipe = FakeTerminal(), io.StringIO()
    for stream in (tty, pipe):
        for _ in progress_bar(range(3), total=3, unit="file", file=stream):
            pass
    assert "3/3" in tty.getvalue() and "file" in tty.getvalue()
    assert pipe.getvalue() == ""
    monkeypatch.setenv("LAWIE_PROGRESS", "1")
    for _ in progress_bar(range(3), total=3, unit="file", file=pipe):
        pass
    assert "3/3" in pipe.getvalue()


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals")
def test_a_bar_appears_on_a_terminal_that_reports_no_size(tmp_path):
    """A pseudo-terminal of size 0x0 (tqdm 4.70 printed nothing there)."""
    import pty
    import subprocess

    main, child = pty.openpty()
    code = "from lawie.files import progress_bar\nfor _ in progress_bar(range(3), total=3, unit='file'): pass\n"
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "LAWIE_PROGRESS")}
    proc = subprocess.run([sys.executable, "-c", code], stderr=child, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, env=env, timeout=60)
    os.close(child)
    data = b""
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:
            break
        if not chunk:
            break
        data += chunk
    os.close(main)
    assert proc.returncode == 0
    assert b"3/3" in data and b"file" in data


def test_a_long_text_shows_a_character_bar(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("LAWIE_PROGRESS", "1")
    monkeypatch.setattr(api, "PIECE_CHARS", 2000)
    long = tmp_path / "long.txt"
    long.write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    assert cli.main(["extract", str(long), "-o", str(tmp_path / "out.jsonl")]) == 0
    err = capsys.readouterr().err
    assert "char" in err and "long text" in err
    assert re.search(r"lawie extract: wrote 1 reports \(\d+ entities\) to .*out.jsonl in [\d.]+ s", err)


def test_summary_lines_and_quiet(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("LAWIE_PROGRESS", raising=False)
    assert cli.main(["render", str(SEED), "-o", str(tmp_path / "p.html")]) == 0
    assert re.search(r"^lawie render: wrote 1 reports .* in [\d.]+ s$", capsys.readouterr().err, re.M)
    assert cli.main(["extract", str(SEED), "--format", "csv", "-o", str(tmp_path / "x.csv")]) == 0
    assert "indicator rows" in capsys.readouterr().err
    assert cli.main(["extract", str(SEED), "-q", "-o", str(tmp_path / "x.jsonl")]) == 0
    assert capsys.readouterr().err == ""
    assert cli.main(["annotate", str(SEED), "-o", str(tmp_path / "t.jsonl")]) == 0
    assert re.search(r"lawie annotate: wrote 1 pre-annotated records .* in [\d.]+ s", capsys.readouterr().err)


# -- 7. the contract ships ----------------------------------------------------------------------


def test_the_labelling_contract_ships_and_is_cited():
    assert (ROOT / "docs" / "LABELS.md").is_file()
    assert "LABELS.md" in (ROOT / "docs" / "annotation-guide.md").read_text(encoding="utf-8")
    assert "LABELS.md" in (ROOT / "README.md").read_text(encoding="utf-8")
    assert "docs/LABELS.md" in Path(lawie.labels.__file__).read_text(encoding="utf-8")

"""The CLI as a user meets it: every command listed, helpful errors."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from kg.builder import load_extractions
from kg.cli import app

COMMANDS = ["build", "extract", "eval", "query", "export", "html", "serve", "push", "explain"]


def test_help_lists_every_command_with_a_purpose():
    res = CliRunner().invoke(app, ["--help"], env={"COLUMNS": "200"})
    assert res.exit_code == 0
    for cmd in COMMANDS:
        line = next((x for x in res.output.splitlines() if f" {cmd} " in x), None)
        assert line is not None, f"{cmd} missing from kg --help"
        assert len(line.split(cmd, 1)[1].strip(" │")) > 10, f"{cmd} has no one-line purpose"


def test_build_of_missing_input_names_it(tmp_path):
    res = CliRunner().invoke(app, ["build", str(tmp_path / "nope.jsonl"), "--out", str(tmp_path)])
    assert res.exit_code != 0
    assert "nope.jsonl" in res.output


def test_damaged_extractions_file_names_file_and_line(tmp_path):
    bad = tmp_path / "extractions.jsonl"
    bad.write_text('{"id": "a", "title": "T", "abstract": "A"}\n{broken\n', encoding="utf-8")
    try:
        load_extractions(bad)
    except ValueError as exc:
        assert f"{bad}:2:" in str(exc)
    else:
        raise AssertionError("a damaged line must raise")


def test_bad_record_is_reported_and_skipped_or_stops_with_strict(tmp_path):
    """The README's policy, as a user meets it: skip and report by default, stop with --strict."""
    from pathlib import Path

    broken = Path(__file__).parent / "data" / "ingest" / "broken.jsonl"
    out = tmp_path / "out"
    args = ["build", str(broken), "--out", str(out), "--model", "blank", "--no-html"]
    lenient = CliRunner().invoke(app, args, env={"COLUMNS": "200"})
    assert lenient.exit_code == 0, lenient.output
    assert f"{broken}:" in lenient.output and "warning" in lenient.output
    good = []
    for line in broken.read_text(encoding="utf-8").splitlines():
        try:
            rec = json.loads(line)
        except ValueError:
            continue
        if isinstance(rec, dict) and rec.get("title"):
            good.append(rec["id"])
    written = [json.loads(x)["id"] for x in (out / "extractions.jsonl").read_text().splitlines()]
    assert sorted(written) == sorted(good) and len(good) == 3

    before = (out / "graph.ttl").read_bytes()
    strict = CliRunner().invoke(app, [*args, "--strict"], env={"COLUMNS": "200"})
    assert strict.exit_code != 0
    assert f"{broken}:" in strict.output
    assert (out / "graph.ttl").read_bytes() == before, "a stopped build leaves outputs intact"


def test_bad_base_iri_fails_before_building(tmp_path):
    from pathlib import Path

    corpus = Path(__file__).parent / "data" / "build" / "corpus.jsonl"
    out = tmp_path / "out"
    res = CliRunner().invoke(
        app, ["build", str(corpus), "--out", str(out), "--base", "not an iri", "--model", "blank"]
    )
    assert res.exit_code != 0
    assert "not an iri" in res.output
    assert not out.exists()

"""Whole builds on real files: incremental equals fresh, failures never lose the last build."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kg.builder import build

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "data" / "build"
MODEL = "blank"  # rule-only pipeline: these tests are about the build, not extraction quality


def _records(name: str) -> list[dict]:
    return [json.loads(line) for line in (DATA / name).read_text(encoding="utf-8").splitlines()]


def _write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def _triples(out: Path) -> set[str]:
    """N-Triples lines of a build: equal sets mean equal graphs (our IRIs have no blank nodes).

    Only the build's own timestamp (dcterms:created of the dataset description) may differ.
    """
    from kg.rdf import DEFAULT_BASE

    stamp = f"<{DEFAULT_BASE}dataset> <http://purl.org/dc/terms/created> "
    lines = (out / "graph.nt").read_text(encoding="utf-8").splitlines()
    assert not any(line.startswith("_:") or " _:" in line for line in lines)
    assert sum(line.startswith(stamp) for line in lines) == 1
    return {line for line in lines if line.strip() and not line.startswith(stamp)}


def _parsed(path: Path) -> set[str]:
    """The triples of an output file as read by Oxigraph's parser (the stamp dropped)."""
    import pyoxigraph as ox

    from kg.store import ox_format

    triples = {str(q.triple) for q in ox.parse(path=str(path), format=ox_format(path))}
    return {t for t in triples if "/dataset> <http://purl.org/dc/terms/created>" not in t}


def _store_triples(out: Path) -> set[str]:
    """The triples of a build's Oxigraph store, in the form :func:`_parsed` gives."""
    import pyoxigraph as ox

    store = ox.Store.read_only(str(out / "store"))
    triples = {str(q.triple) for q in store}
    del store
    return {t for t in triples if "/dataset> <http://purl.org/dc/terms/created>" not in t}


def _assert_outputs_agree(out: Path) -> set[str]:
    """graph.nt, graph.ttl, graph.jsonld and the store hold the same triples."""
    nt = _parsed(out / "graph.nt")
    assert nt and _parsed(out / "graph.ttl") == nt
    assert _parsed(out / "graph.jsonld") == nt
    assert _store_triples(out) == nt
    return nt


def _assert_equals_fresh_build(out: Path, src: Path, tmp_path: Path) -> None:
    """``out`` (a re-build) holds, in every file and in its store, what a build of ``src``
    into an empty folder holds."""
    fresh = tmp_path / "fresh"
    build([src], fresh, model=MODEL, html=False)  # same input file, no cache
    assert _triples(out) == _triples(fresh)
    assert _assert_outputs_agree(out) == _assert_outputs_agree(fresh)


def _digests(out: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(out.iterdir())
        if p.is_file() and p.suffix in {".ttl", ".nt", ".jsonld", ".html", ".jsonl"}
    }


def test_incremental_build_equals_fresh_build(tmp_path):
    corpus = _records("corpus.jsonl")
    more = _records("more.jsonl")
    src = _write_jsonl(tmp_path / "in.jsonl", corpus)
    inc = tmp_path / "inc"
    first = build([src], inc, model=MODEL, html=False)
    assert first.papers == len(corpus) and first.extracted == len(corpus)
    assert len(first.changes.new) == len(corpus)

    _write_jsonl(src, corpus + more)
    second = build([src], inc, model=MODEL, html=False)
    assert second.extracted == len(more), "only the new abstracts are extracted again"
    assert sorted(second.changes.new) == sorted(r["id"] for r in more)
    assert second.changes.unchanged == len(corpus)

    assert second.reused > 0, "unchanged papers' RDF is copied, not rendered again"

    # the store was updated in place of a rebuild: it must hold what a fresh build's holds
    _assert_equals_fresh_build(inc, src, tmp_path)


def test_changed_abstract_is_reextracted_and_removed_paper_leaves_no_trace(tmp_path):
    corpus = _records("corpus.jsonl")
    src = _write_jsonl(tmp_path / "in.jsonl", corpus)
    out = tmp_path / "out"
    build([src], out, model=MODEL, html=False)

    edited = [dict(r) for r in corpus[1:]]
    edited[0]["abstract"] += " We also evaluate on ImageNet."
    _write_jsonl(src, edited)
    report = build([src], out, model=MODEL, html=False)
    assert report.changes.changed == [edited[0]["id"]]
    assert report.changes.removed == [corpus[0]["id"]]
    assert report.extracted == 1

    nt = (out / "graph.nt").read_text(encoding="utf-8")
    assert corpus[0]["id"] not in nt, "the removed paper's node and edges are gone"
    _assert_equals_fresh_build(out, src, tmp_path)


def test_incremental_build_with_expanded_jsonld_parts(tmp_path, monkeypatch):
    """Above the compaction limit graph.jsonld is assembled from per-paper parts too."""
    import kg.outputs

    monkeypatch.setattr(kg.outputs, "JSONLD_COMPACT_LIMIT", 0)
    corpus = _records("corpus.jsonl")
    src = _write_jsonl(tmp_path / "in.jsonl", corpus[:-2])
    out = tmp_path / "out"
    build([src], out, model=MODEL, html=False)
    assert json.loads((out / "graph.jsonld").read_text(encoding="utf-8"))[0]["@id"]

    _write_jsonl(src, corpus[:-3] + corpus[-2:])  # one paper out, two in
    report = build([src], out, model=MODEL, html=False)
    assert report.reused > 0
    _assert_equals_fresh_build(out, src, tmp_path)


def test_an_edited_output_is_never_copied_from(tmp_path):
    """Parts are copied from the last build's files only if those files are untouched."""
    corpus = _records("corpus.jsonl")
    src = _write_jsonl(tmp_path / "in.jsonl", corpus)
    out = tmp_path / "out"
    build([src], out, model=MODEL, html=False)
    with (out / "graph.nt").open("a", encoding="utf-8") as fh:
        fh.write('<urn:x:edited> <urn:x:by> "hand" .\n')

    report = build([src], out, model=MODEL, html=False)
    assert report.reused == 0, "a file that is not the one the build wrote is not reused"
    assert "urn:x:edited" not in (out / "graph.nt").read_text(encoding="utf-8")
    _assert_equals_fresh_build(out, src, tmp_path)


def test_output_folder_that_is_a_file_fails_clearly(tmp_path):
    from typer.testing import CliRunner

    from kg.cli import app

    blocker = tmp_path / "out"
    blocker.write_text("not a folder")
    res = CliRunner().invoke(
        app, ["build", str(DATA / "corpus.jsonl"), "--out", str(blocker), "--model", MODEL]
    )
    assert res.exit_code != 0
    assert str(blocker) in res.output
    assert blocker.read_text() == "not a folder"


@pytest.mark.skipif(sys.platform != "linux", reason="uses RLIMIT_FSIZE")
def test_disk_full_midway_keeps_previous_outputs(tmp_path):
    """A real write failure (file-size limit hit while writing) must not touch the last build."""
    corpus = _records("corpus.jsonl")
    src = _write_jsonl(tmp_path / "in.jsonl", corpus)
    out = tmp_path / "out"
    build([src], out, model=MODEL)
    before = _digests(out)
    assert {"graph.ttl", "graph.nt", "graph.html", "extractions.jsonl"} <= set(before)

    _write_jsonl(src, corpus + _records("more.jsonl"))
    script = (
        "import resource, signal, sys\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (20000, 20000))\n"
        "from kg.cli import main\n"
        "sys.argv = ['kg', 'build', sys.argv[1], '--out', sys.argv[2], '--model', 'blank']\n"
        "main()\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script, str(src), str(out)],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "200"},
    )
    assert proc.returncode != 0
    assert "cannot write" in proc.stderr or "File too large" in proc.stderr
    assert _digests(out) == before
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]


def test_cli_build_prints_summary(tmp_path):
    from typer.testing import CliRunner

    from kg.cli import app

    out = tmp_path / "out"
    res = CliRunner().invoke(
        app,
        ["build", str(DATA / "corpus.jsonl"), "--out", str(out), "--model", MODEL, "--no-html"],
    )
    assert res.exit_code == 0, res.output
    assert "14 papers" in res.output and "entities by type" in res.output
    assert (out / "graph.ttl").exists() and (out / "extractions.jsonl").exists()
    lines = (out / "extractions.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 14 and all(json.loads(x)["id"] for x in lines)


def test_seed_build_reports_496_papers(seed_report):
    assert seed_report.papers == 496
    # 564 title/abstract pairs in the four plain listings + 22 papers on the daily-papers page
    assert seed_report.listings == 586
    s = seed_report.summary
    assert s["papers"] == 496
    assert set(s["entities_by_type"]) == {"Method", "Model", "Dataset", "Task"}
    assert s["edges_by_relation"]["uses"] > 0 and s["edges_by_relation"]["proposes"] > 0


def test_dask_build_equals_local_build(tmp_path):
    pytest.importorskip("dask.distributed")
    src = DATA / "corpus.jsonl"
    local, dasked = tmp_path / "local", tmp_path / "dask"
    build([src], local, model=MODEL, html=False)
    report = build([src], dasked, model=MODEL, html=False, dask_address="local")
    assert report.extracted == 14
    assert _triples(local) == _triples(dasked)


def test_build_reports_merged_listings_and_short_forms_left_split(tmp_path):
    """Two ids with one title are two papers; a listing without an id is merged by title and
    the build says so; an acronym two papers each define differently is left split, with why."""
    from typer.testing import CliRunner

    from kg.cli import app

    src = _write_jsonl(
        tmp_path / "in.jsonl",
        [
            {"id": "a1", "title": "Shared Title", "abstract": "We study continual learning (CL)."},
            {
                "id": "b2",
                "title": "Shared title",
                "abstract": "We study contrastive learning (CL).",
            },
            {"title": "Shared Title", "abstract": "A copy without an id."},
            {"id": "c3", "title": "Another paper", "abstract": "CL helps image classification."},
        ],
    )
    out = tmp_path / "out"
    res = CliRunner().invoke(
        app, ["build", str(src), "--out", str(out), "--model", MODEL, "--no-html"]
    )
    assert res.exit_code == 0, res.output
    assert "3 papers from 4 listings" in " ".join(res.output.split())
    assert "merged 1 listings into papers listed earlier" in res.output
    assert f"{src}:3: merged into paper a1 ({src}:1): same title" in " ".join(res.output.split())
    report = json.loads((out / "build-report.json").read_text(encoding="utf-8"))
    assert [(m["line"], m["paper"], m["reason"]) for m in report["paper_merges"]] == [
        (3, "a1", "same title")
    ]
    assert any("same title as paper a1" in p["message"] for p in report["problems"])
    (cl,) = [d for d in report["name_decisions"] if d["name"] == "CL"]
    assert cl["outcome"] == "split" and cl["reason"] == "papers disagree"
    assert "left split: 1 names whose papers disagree" in res.output
    assert "CL: split (papers disagree)" in res.output


@pytest.mark.parametrize("cap", [150, 100_000])
def test_page_from_the_index_equals_the_page_of_the_whole_graph(seed_report, seed_build, cap):
    """The build draws its page from the name index and the shown papers' extractions only;
    the page is byte for byte the one drawn from the whole graph (capped, and uncapped)."""
    from kg.cache import ExtractionCache
    from kg.graph import build_graph, page_graph
    from kg.html import render_html
    from kg.html.payload import MAX_EVIDENCE
    from kg.ingest import read_inputs
    from kg.resolve import link_corpus, resolve_names

    papers = sorted(read_inputs([ROOT / "seeds"]).papers, key=lambda p: p.id)
    version = seed_report.extractor
    with ExtractionCache(seed_build / "cache.sqlite") as cache:
        index = resolve_names(cache.names(papers, version))
        shown, whole = page_graph(
            index, papers, lambda p: cache.get(p, version), cap, MAX_EVIDENCE, version
        )
        full = build_graph(link_corpus(cache.iter_get(papers, version), index), version)
    assert whole == full.number_of_nodes()
    assert shown.number_of_nodes() == min(cap, whole)
    shown.graph["built"] = full.graph["built"] = "2024-01-01T00:00:00+00:00"
    page = render_html(shown, title="t", whole=whole)
    assert page == render_html(full, title="t", max_nodes=cap)
    assert (f"top {cap} of {whole} nodes" in page) == (cap < whole)

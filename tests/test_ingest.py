"""kg.ingest on the real seeds and on each supported format."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.ingest import IngestError, Problem, iter_papers, mint_id, read_inputs, title_key
from kg.model import Paper

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
GOLD = ROOT / "eval" / "dev.jsonl"
DATA = ROOT / "tests" / "data" / "ingest"


@pytest.fixture(scope="module")
def seeds():
    return read_inputs([SEEDS])


def test_seeds_distinct_papers_and_listings(seeds):
    assert len(seeds.papers) == 496
    assert seeds.stats["papers"] == 496
    assert seeds.stats["files"] == 5
    # 564 title/abstract pairs in the four layout-A files + 22 papers in the layout-B file.
    assert seeds.stats["records"] == 586
    assert seeds.stats["duplicates"] == 586 - 496
    assert seeds.stats["skipped"] == 0
    assert [p for p in seeds.problems if p.fatal] == []
    assert sum(p.metadata["listings"] for p in seeds.papers) == 586
    keys = [title_key(p.title) for p in seeds.papers]
    assert len(set(keys)) == len(keys)
    assert len({p.id for p in seeds.papers}) == 496
    assert all(isinstance(p, Paper) and p.title and p.abstract for p in seeds.papers)


def test_seed_titles_are_clean(seeds):
    titles = [p.title for p in seeds.papers]
    assert not any(t.startswith("Subscribe") or t.startswith("Get trending") for t in titles)
    assert (
        "Cerebras-GPT: Open Compute-Optimal Language Models Trained on the Cerebras "
        "Wafer-Scale Cluster" in titles
    )
    assert not any(len(t) > 300 for t in titles)
    assert min(len(p.abstract) for p in seeds.papers) > 300


def test_seed_ids_equal_gold_ids(seeds):
    """Minted ids follow the recipe behind eval/dev.jsonl, so seed papers carry the gold ids."""
    by_key = {title_key(p.title): p.id for p in seeds.papers}
    gold = [json.loads(line) for line in GOLD.read_text("utf-8").splitlines() if line.strip()]
    assert gold
    for g in gold:
        assert mint_id(g["title"]) == g["id"]
        assert by_key[title_key(g["title"])] == g["id"]


def test_layout_b_metadata_merged_into_first_listing(seeds):
    by_title = {p.title: p for p in seeds.papers}
    dragon = by_title[
        "The Dragon Hatchling: The Missing Link between the Transformer and Models of the Brain"
    ]
    assert dragon.metadata["organisation"] == "Pathway"
    assert dragon.metadata["organisation_id"] == "pathwaycom"
    assert dragon.metadata["upvotes"] == 21
    assert dragon.metadata["date_text"] == "Sep 30"
    assert dragon.metadata["listings"] >= 2
    assert dragon.source.endswith("000_5f8bb1a0aed8237f.txt")  # first listing wins the source
    circuit = next(p for p in seeds.papers if p.title.startswith("Does Circuit Analysis"))
    assert circuit.metadata["authors"] == 6
    assert circuit.metadata["date"] == "2023-07-18"
    sakana = by_title["Continuous Thought Machines"]
    assert sakana.metadata["organisation"] == "Sakana AI"


def test_layout_b_file_alone_and_line_numbers():
    res = read_inputs([SEEDS / "001_a218a35c9b67a708.txt"])
    assert res.stats["records"] == 22
    first = res.papers[0]
    assert first.title.startswith("Does Circuit Analysis Interpretability Scale?")
    assert first.line == 13
    lines = (SEEDS / "001_a218a35c9b67a708.txt").read_text("utf-8").splitlines()
    for p in res.papers:
        assert lines[p.line - 1].strip() == p.title
    scaling = next(p for p in res.papers if p.title == "Scaling Law with Learning Rate Annealing")
    assert scaling.metadata == {"authors": 3, "date": "2024-08-20", "upvotes": 1, "listings": 1}
    no_meta = next(p for p in res.papers if p.title.startswith("Fantastic Pretraining"))
    assert no_meta.metadata == {"listings": 1}


def test_layout_a_line_numbers_point_at_titles():
    path = SEEDS / "002_30f4a9989de039ab.txt"
    res = read_inputs([path])
    lines = path.read_text("utf-8").splitlines()
    assert res.papers[0].title == "Cross-Episodic Curriculum for Transformer Agents"
    for p in res.papers[1:]:
        assert lines[p.line - 1] == p.title
        assert lines[p.line] == p.abstract


def test_small_layout_files():
    a = read_inputs([DATA / "layout_a.txt"])
    assert [p.title for p in a.papers] == ["First Paper: A Title", "Second Paper"]
    assert [p.line for p in a.papers] == [3, 5]
    b = read_inputs([DATA / "layout_b.txt"])
    assert [p.title for p in b.papers] == [
        "Paper With Authors",
        "Paper With Org",
        "Paper Without Meta",
        "Paper With Year And Votes",
    ]
    meta = [p.metadata for p in b.papers]
    assert meta[0] == {"authors": 6, "date": "2023-07-18", "listings": 1}
    assert meta[1]["organisation"] == "Sakana AI" and meta[1]["upvotes"] == 21
    assert meta[2] == {"listings": 1}
    assert meta[3] == {"authors": 3, "date": "2024-08-20", "upvotes": 1, "listings": 1}


def test_gold_file_is_valid_input():
    res = read_inputs([GOLD])
    gold = [json.loads(line) for line in GOLD.read_text("utf-8").splitlines() if line.strip()]
    assert [p.id for p in res.papers] == [g["id"] for g in gold]
    assert res.papers[0].metadata["entities"] == gold[0]["entities"]
    assert not [p for p in res.problems if p.fatal]


def test_jsonl_ids_kept_minted_and_metadata():
    res = read_inputs([DATA / "good.jsonl"])
    p1, beta, gamma = res.papers
    assert p1.id == "p1" and p1.metadata["venue"] == "X"
    assert beta.id == mint_id("Beta: A Study") and beta.metadata["tags"] == ["a", "b"]
    assert gamma.id == "42" and gamma.abstract == "Summary field used as abstract."
    assert [p.line for p in res.papers] == [1, 2, 3]


def test_json_list():
    res = read_inputs([DATA / "papers.json"])
    assert [(p.id, p.title, p.line) for p in res.papers] == [
        ("j1", "Json One", 2),
        ("j2", "Json Two", 7),
    ]
    assert res.papers[1].metadata["year"] == 2024


def test_arxiv_snapshot_records():
    res = read_inputs([DATA / "arxiv_snapshot.jsonl"])
    p, q = res.papers
    assert p.id == "0704.0001"
    assert p.title == (
        "Calculation of prompt diphoton production cross sections at Tevatron and LHC energies"
    )
    assert p.abstract.startswith("A fully differential calculation in perturbative quantum")
    assert "\n" not in p.abstract and "  " not in p.abstract
    assert p.metadata["date"] == "2007-04-02"
    assert p.metadata["authors"] == 4
    assert p.metadata["authors_text"].startswith("C. Bal")
    assert p.metadata["url"] == "https://arxiv.org/abs/0704.0001"
    assert p.metadata["doi"] == "10.1103/PhysRevD.76.013009"
    assert q.metadata["authors"] == 3 and q.metadata["date"] == "2023-08-02"


def test_csv_and_tsv():
    res = read_inputs([DATA / "papers.csv"])
    c1, noid, c4 = res.papers
    assert c1.title == 'Comma, Quote "and" Newline'
    assert c1.abstract == "Line one\nline two, with comma."
    assert c1.metadata["venue"] == "NeurIPS"
    assert noid.id == mint_id("No Id Here") and "venue" not in noid.metadata
    assert noid.line == 4 and c4.line == 6
    bad = [p for p in res.problems if p.fatal]
    assert [str(p) for p in bad] == [
        f"{DATA / 'papers.csv'}:5: row has 5 fields, the header has 4; skipped"
    ]
    assert res.stats["skipped"] == 1
    tsv = read_inputs([DATA / "papers.tsv"])
    assert [(p.id, p.abstract) for p in tsv.papers] == [("t1", "Tab separated abstract.")]


def test_folder_is_recursive_sorted_and_deduplicates_across_formats(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "x.jsonl").write_text(
        json.dumps({"title": "alpha   NET!", "abstract": "x", "venue": "Y"}) + "\n",
        encoding="utf-8",
    )
    (tmp_path / "a.csv").write_text("id,title,abstract,year\nfirst,Alpha Net,y,2020\n", "utf-8")
    (tmp_path / "notes.md").write_text("ignored", "utf-8")
    (tmp_path / ".hidden.jsonl").write_text("{broken", "utf-8")
    res = read_inputs([tmp_path])
    assert res.stats["files"] == 2
    (paper,) = res.papers
    assert paper.id == "first" and paper.source == str(tmp_path / "a.csv")
    assert paper.metadata == {
        "year": "2020",
        "listings": 2,
        "venue": "Y",
        "other_ids": [mint_id("alpha NET")],
    }
    (merge,) = res.merges
    assert str(merge) == (
        f"{tmp_path / 'b' / 'x.jsonl'}:1: merged into paper first ({tmp_path / 'a.csv'}:2): "
        "same title"
    )


def _jsonl(path, *records):
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def test_two_ids_one_title_are_two_papers(tmp_path):
    path = _jsonl(
        tmp_path / "p.jsonl",
        {"id": "a1", "title": "Same Title", "abstract": "First abstract."},
        {"id": "b2", "title": "Same  title!", "abstract": "Second abstract."},
    )
    res = read_inputs([path])
    assert [(p.id, p.abstract) for p in res.papers] == [
        ("a1", "First abstract."),
        ("b2", "Second abstract."),
    ]
    assert res.merges == [] and res.stats["duplicates"] == 0
    (warn,) = res.problems
    assert not warn.fatal
    assert (
        str(warn)
        == f"{path}:2: same title as paper a1 ({path}:1) but another id: kept as two papers"
    )


def test_listings_without_id_merge_by_title_and_each_merge_is_reported(tmp_path):
    path = _jsonl(
        tmp_path / "p.jsonl",
        {"title": "No Id", "abstract": "kept"},  # 1: first paper, minted id
        {"id": "x1", "title": "no id", "abstract": "dropped"},  # 2: joins it (it had no id)
        {"id": "x2", "title": "No Id", "abstract": "own"},  # 3: another id: its own paper
        {"title": "No id.", "abstract": "dropped"},  # 4: no id: joins the first of the title
        {"id": "x1", "title": "No Id", "abstract": "dropped"},  # 5: id x1 is the first paper
        {"id": "x2", "title": "Other title", "abstract": "own"},  # 6: id taken: fresh id
    )
    res = read_inputs([path])
    first = mint_id("No Id")
    assert [(p.id, p.line) for p in res.papers] == [
        (first, 1),
        ("x2", 3),
        (mint_id("Other title"), 6),
    ]
    assert res.papers[0].metadata["other_ids"] == ["x1"]
    assert res.papers[0].metadata["listings"] == 4
    assert [(m.line, m.paper, m.reason) for m in res.merges] == [
        (2, first, "same title; the earlier listing had no id"),
        (4, first, "same title"),
        (5, first, "same id"),
    ]
    assert res.stats["duplicates"] == 3


def test_iter_papers_streams_with_problems_and_stats():
    problems: list[Problem] = []
    stats: dict[str, int] = {}
    gen = iter_papers([DATA / "broken.jsonl", DATA / "copies.csv"], problems, stats=stats)
    first = next(gen)
    assert first.id == "b1" and stats["records"] == 1
    rest = list(gen)
    assert [p.title for p in rest] == ["Second Good", "Third Good", "Same Paper"]
    assert stats["duplicates"] == 9_999
    assert len([p for p in problems if p.fatal]) == 2


def test_strict_raises_with_file_and_line():
    with pytest.raises(IngestError) as exc:
        read_inputs([DATA / "good.jsonl", DATA / "broken.jsonl"], strict=True)
    msg = str(exc.value)
    assert f"{DATA / 'broken.jsonl'}:2: invalid JSON" in msg
    assert exc.value.problems[-1].line == 2
    # Warnings alone do not stop a strict read.
    ok = read_inputs([DATA / "empty_abstract.csv"], strict=True)
    assert len(ok.papers) == 2


def test_missing_paths_are_reported(tmp_path):
    res = read_inputs([tmp_path / "nope.jsonl", tmp_path])
    msgs = [str(p) for p in res.problems]
    assert f"{tmp_path / 'nope.jsonl'}:0: no such file or folder" in msgs
    assert any(m.startswith(f"{tmp_path}:0: folder holds no input files") for m in msgs)


def test_json_list_error_keeps_elements_before_it_and_json_lines_in_dot_json():
    path = DATA / "broken_list.json"
    res = read_inputs([path])
    assert [p.id for p in res.papers] == ["k1"]
    (problem,) = res.problems
    assert problem.fatal
    assert (
        str(problem)
        == f"{path}:3: invalid JSON at column 25: Expecting value; rest of file skipped"
    )
    lines = read_inputs([DATA / "lines.json"])
    assert [(p.id, p.line) for p in lines.papers] == [("l1", 1), ("l2", 2)]
    assert lines.problems == []

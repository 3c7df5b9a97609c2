"""kg.evaluate and `kg eval` on small handmade gold and prediction files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.cli.app import app
from kg.evaluate import (
    GoldFileError,
    errors,
    key,
    load_jsonl,
    match,
    parse_mapping,
    remap_types,
    score,
    similarity,
    words,
)

DATA = Path(__file__).parent / "data" / "extract"
GOLD = DATA / "eval_gold.jsonl"
PRED = DATA / "eval_pred.jsonl"


def E(name, type_="Method", aliases=(), role="used"):
    return {"name": name, "type": type_, "aliases": list(aliases), "role": role}


def test_normalisation():
    assert words("The CNNs") == ["cnn"]
    assert key("Multi–Layer Perceptrons") == key("multi-layer perceptron")
    assert words("Qwen2.5-Math") == ["qwen2.5", "math"]
    assert words("loss") == ["loss"]  # -ss keeps its s
    assert key("GPT-4") != key("GPT-3")


def test_similarity_strict_and_jaccard():
    assert similarity(E("SGR"), E("Sparse Gated Routing", aliases=["SGR"])) == 2.0
    assert similarity(E("Quokka benchmark"), E("Quokka")) == pytest.approx(0.5)
    assert similarity(E("neural machine translation systems"), E("machine translation")) == 0.5
    assert similarity(E("graph networks"), E("sparse routing")) == 0.0


def test_unmerged_alias_is_a_false_positive():
    gold = [E("Sparse Gated Routing", aliases=["SGR"])]
    pred = [E("Sparse Gated Routing"), E("SGR")]
    assert len(match(gold, pred, lenient=True, typed=False)) == 1
    res = score({"p": {"entities": gold}}, {"p": {"entities": pred}})
    assert res["strict"]["tp"] == 1 and res["strict"]["pred"] == 2
    assert res["strict"]["p"] == 0.5 and res["strict"]["r"] == 1.0


def test_lenient_needs_half_the_words_and_typed_needs_equal_type():
    gold = [E("Quokka benchmark", "Dataset")]
    assert match(gold, [E("Quokka", "Dataset")], lenient=True, typed=True) == [(0, 0)]
    assert match(gold, [E("Quokka", "Dataset")], lenient=False, typed=True) == []
    assert match(gold, [E("Quokka set of tasks", "Dataset")], lenient=True, typed=True) == []
    assert match(gold, [E("Quokka", "Model")], lenient=True, typed=True) == []
    assert match(gold, [E("Quokka", "Model")], lenient=True, typed=False) == [(0, 0)]


def test_one_to_one_prefers_the_closest_pair():
    gold = [E("graph neural network"), E("graph attention network")]
    pred = [E("graph attention network")]
    assert match(gold, pred, lenient=True, typed=False) == [(1, 0)]


def test_score_on_files():
    res = score(load_jsonl(GOLD), load_jsonl(PRED))
    # p1: ZipNet, Sparse Gated Routing (SGR extra), Quokka ~ Quokka benchmark; p2: both lenient
    assert res["lenient"] == {"p": 0.6667, "r": 0.8, "f1": 0.7273, "tp": 4, "gold": 5, "pred": 6}
    assert res["strict"]["tp"] == 2  # ZipNet, Sparse Gated Routing
    assert res["lenient_typed"]["tp"] == 3  # ZipNet typed Method, gold Model
    assert res["lenient_Model"]["tp"] == 0 and res["lenient_Model"]["gold"] == 1
    assert res["lenient_Task"]["tp"] == 1
    # roles: 4 matched pairs, Quokka wrongly proposed
    assert res["role_accuracy"] == 0.75
    assert res["proposed"] == {"p": 0.5, "r": 1.0, "f1": 0.6667, "tp": 1, "gold": 1, "pred": 2}
    # relations: equal similarities break ties towards the later prediction, so the gold
    # entity pairs with "SGR" and ZipNet->SGR lines up; the dangling tail never does
    assert res["relations"]["tp"] == 2
    assert res["relations"]["gold"] == 2 and res["relations"]["pred"] == 3
    assert res["papers"] == {"gold": 2, "predicted": 2}


def test_errors_name_what_each_figure_counted():
    gold, pred = load_jsonl(GOLD), load_jsonl(PRED)
    p1, p2 = errors(gold, pred)
    assert [p1["id"], p2["id"]] == ["p1", "p2"]
    # the unmerged long form is the spurious one: the gold entity paired with "SGR"
    assert p1["entities_missed"] == []
    assert p1["entities_spurious"] == [{"name": "Sparse Gated Routing", "type": "Method"}]
    assert p1["wrong_type"] == [
        {
            "gold": {"name": "ZipNet", "type": "Model"},
            "predicted": {"name": "ZipNet", "type": "Method"},
        }
    ]
    assert p1["proposed_missed"] == [] and p1["proposed_spurious"] == ["Quokka"]
    assert p1["relations_missed"] == []
    assert p1["relations_spurious"] == [["ZipNet", "comparedWith", "Nowhere"]]
    # "Plover Corpora" shares one word of three with "the Plover corpus": no match
    assert p2["entities_missed"] == [{"name": "the Plover corpus", "type": "Dataset"}]
    assert p2["entities_spurious"] == [{"name": "Plover Corpora", "type": "Dataset"}]
    # the lists add up to the figures
    res = score(gold, pred)
    for figure, missed, spurious in (
        ("lenient", "entities_missed", "entities_spurious"),
        ("proposed", "proposed_missed", "proposed_spurious"),
        ("relations", "relations_missed", "relations_spurious"),
    ):
        f = res[figure]
        assert sum(len(p[missed]) for p in (p1, p2)) == f["gold"] - f["tp"]
        assert sum(len(p[spurious]) for p in (p1, p2)) == f["pred"] - f["tp"]


def test_errors_of_a_paper_with_no_prediction():
    gold = load_jsonl(GOLD)
    p1, _ = errors(gold, {})
    assert [e["name"] for e in p1["entities_missed"]] == [
        "ZipNet",
        "Sparse Gated Routing",
        "Quokka benchmark",
    ]
    assert p1["proposed_missed"] == ["ZipNet"]
    assert len(p1["relations_missed"]) == 2 and p1["relations_spurious"] == []


def test_cli_writes_errors(tmp_path):
    out = tmp_path / "errors.jsonl"
    result = CliRunner().invoke(app, ["eval", str(GOLD), "--pred", str(PRED), "--errors", str(out)])
    assert result.exit_code == 0, result.output
    lines = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in lines] == ["p1", "p2"]
    assert lines[0]["title"] == "ZipNet: Tiny Routers"
    assert "errors of 2 of 2 papers" in result.output
    assert "2 entities spurious" in result.output
    # the graph scorer lists its own misses (-v): --errors there is a clear error, not ignored
    both = ["eval", "--graph", str(GOLD), "--errors", str(tmp_path / "e.jsonl")]
    result = CliRunner().invoke(app, both)
    assert result.exit_code == 2 and "--errors" in result.output


def test_missing_paper_counts_as_nothing_predicted():
    gold = load_jsonl(GOLD)
    res = score(gold, {})
    assert res["lenient"]["tp"] == 0 and res["lenient"]["gold"] == 5
    assert res["papers"]["predicted"] == 0


def test_type_remap():
    recs = {"a": {"entities": [E("x", "Material")]}}
    remap_types(recs, parse_mapping(["Material=Dataset"]))
    assert recs["a"]["entities"][0]["type"] == "Dataset"
    with pytest.raises(ValueError):
        parse_mapping(["Material"])


def test_bad_file_names_file_and_line(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a", "entities": []}\n{not json\n', encoding="utf-8")
    with pytest.raises(GoldFileError, match=r"bad\.jsonl:2"):
        load_jsonl(bad)


def test_cli_scores_a_prediction_file_as_json():
    result = CliRunner().invoke(app, ["eval", str(GOLD), "--pred", str(PRED), "--json"])
    assert result.exit_code == 0, result.output
    res = json.loads(result.output)
    assert res["lenient"]["f1"] == 0.7273


def test_cli_table_and_extraction(tmp_path):
    out = tmp_path / "pred.jsonl"
    result = CliRunner().invoke(app, ["eval", str(GOLD), "--model", "blank", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "lenient, typed" in result.output and "relations" in result.output
    lines = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in lines] == ["p1", "p2"]
    assert any(e["name"] == "ZipNet" for e in lines[0]["entities"])


def test_cli_bad_gold_is_a_clear_error(tmp_path):
    bad = tmp_path / "g.jsonl"
    bad.write_text("[]\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["eval", str(bad), "--pred", str(PRED)])
    assert result.exit_code == 2
    assert "g.jsonl:1" in result.output

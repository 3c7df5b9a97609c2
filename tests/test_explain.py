"""`kg explain`: an entity's type, aliases, papers and relations, with evidence, from the store."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from rdf_helpers import mini_graph
from typer.testing import CliRunner

from kg import rdf, store
from kg.cli import app
from kg.explain import NotFound, explain

runner = CliRunner()


@pytest.fixture(scope="module")
def graph():
    return mini_graph()


@pytest.fixture(scope="module")
def st(mini_build):
    return store.open_store(mini_build)


def _expected_edges(g, node):
    """(relation, direction, other node, paper) for every edge at ``node`` in the graph."""
    out = set()
    for u, v, d in g.edges(data=True):
        if u == node:
            out.add((d["relation"], "out", v, d["paper"]))
        if v == node:
            out.add((d["relation"], "in", u, d["paper"]))
    return out


def _got_edges(report):
    edges = report.proposed_by + report.used_by + report.relations
    result = set()
    for e in edges:
        kind, value = rdf.unmint(e.other)
        result.add((e.relation, e.direction, f"{kind}:{value}", e.paper_id))
    return result


def test_explain_matches_the_graph(st, graph):
    (rep,) = explain(st, "gpt2")  # an alias, another case
    node = "entity:gpt-2"
    d = graph.nodes[node]
    assert (rep.label, rep.type, rep.key) == (d["label"], d["type"], "gpt-2")
    assert set(rep.aliases) == {a for a in d["aliases"] if a != d["label"]}
    assert _got_edges(rep) == _expected_edges(graph, node)
    assert len(rep.used_by) == 3 and not rep.proposed_by
    # Each edge's evidence is what the graph holds for that edge.
    for e in rep.relations + rep.used_by:
        want = {
            ev.sentence
            for u, v, dd in graph.edges(data=True)
            if dd["relation"] == e.relation
            and dd["paper"] == e.paper_id
            and node in (u, v)
            and rdf.mint(*reversed((u if v == node else v).split(":", 1))) == rdf.URIRef(e.other)
            for ev in dd["evidence"]
        }
        assert {ev.sentence for ev in e.evidence} == want
        assert all(ev.exact in ev.sentence for ev in e.evidence)
        assert 0 <= e.confidence <= 1
    variant = [e for e in rep.relations if e.relation == "variantOf"]
    assert variant and variant[0].paper_id is None and not variant[0].evidence


def test_explain_hostile_name(st, graph):
    (rep,) = explain(st, '"q<a>" NET 🚀')
    assert rep.label == '"Q<A>" net 🚀'
    assert [e.paper_id for e in rep.proposed_by] == ['odd id "<x>" 🚀']
    assert {e.relation for e in rep.relations} == {"basedOn", "trainedOn", "variantOf"}


def test_unknown_name_suggests(st):
    with pytest.raises(NotFound) as info:
        explain(st, "pile dataset")
    assert info.value.suggestions == []
    with pytest.raises(NotFound) as info:
        explain(st, "GPT")
    assert set(info.value.suggestions) == {"GPT-2", "Cerebras-GPT"}


def test_cli_text_and_json(mini_build):
    res = runner.invoke(app, ["explain", "the pile", "--out", str(mini_build)])
    assert res.exit_code == 0, res.output
    assert "the Pile  [Dataset]" in res.stdout
    assert "We train GPT-2 on the Pile with Adam." in res.stdout
    res = runner.invoke(app, ["explain", "Pile", "--out", str(mini_build), "--format", "json"])
    assert res.exit_code == 0, res.output
    (doc,) = json.loads(res.stdout)
    assert doc["type"] == "Dataset" and doc["aliases"] == ["Pile"]
    assert len(doc["used_by"]) == 2
    rels = Counter((r["relation"], r["direction"]) for r in doc["relations"])
    assert rels == {("trainedOn", "in"): 2, ("evaluatedOn", "in"): 1}


def test_cli_errors(mini_build, tmp_path):
    res = runner.invoke(app, ["explain", "nothing at all", "--out", str(mini_build)])
    assert res.exit_code == 1 and "no entity named" in res.output
    res = runner.invoke(app, ["explain", "GPT-2", "--out", str(tmp_path)])
    assert res.exit_code == 1 and "kg build" in res.output


@pytest.mark.slow
def test_explain_on_seeds(seed_build, seed_graph):
    st = store.open_store(seed_build)
    degree = Counter()
    for u, v, _ in seed_graph.edges(data=True):
        degree[u] += 1
        degree[v] += 1
    node = next(
        n
        for n, _ in degree.most_common()
        if n.startswith("entity:") and seed_graph.nodes[n]["label"].isascii()
    )
    reports = explain(st, seed_graph.nodes[node]["label"])
    rep = next(r for r in reports if r.key == node.split(":", 1)[1])
    assert _got_edges(rep) == _expected_edges(seed_graph, node)
    assert rep.paper_count == seed_graph.nodes[node]["paper_count"]
    with_paper = [e for e in rep.proposed_by + rep.used_by + rep.relations if e.paper_id]
    assert with_paper and all(e.evidence for e in with_paper)

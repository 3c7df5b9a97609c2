"""The Python API a notebook uses: kg.build, kg.open, .query, .to_networkx, .explain.

Each answer is checked against the CLI or the export, which read the same store through the
same functions: the API and the faces must agree.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest
from typer.testing import CliRunner

import kg
from kg.cli import app

DATA = Path(__file__).parent / "data" / "build"
runner = CliRunner()


@pytest.fixture(scope="module")
def g(mini_build):
    return kg.open(mini_build)


def test_import_kg_loads_nothing_heavy():
    """`import kg` (which every CLI call pays) loads no NLP, RDF or graph library."""
    code = (
        "import sys, kg; heavy = ['spacy', 'rdflib', 'networkx', 'pyoxigraph', 'typer', 'thinc'];"
        "print([m for m in heavy if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_public_names_are_listed_typed_and_documented():
    import inspect

    assert set(kg.__all__) >= {"build", "open", "KnowledgeGraph", "Rows", "QueryError"}
    for name in kg.__all__:
        obj = getattr(kg, name)
        if name == "__version__":
            assert isinstance(obj, str)
            continue
        assert inspect.getdoc(obj), f"kg.{name} has no docstring"
        if inspect.isfunction(obj):
            sig = inspect.signature(obj)
            assert sig.return_annotation is not inspect.Signature.empty, name
    for name in ("query", "explain", "to_networkx"):
        assert inspect.getdoc(getattr(kg.KnowledgeGraph, name))
    assert "build" in dir(kg) and "Rows" in dir(kg)


def test_named_query_with_parameter_equals_the_cli(g, mini_build):
    rows = g.query("compared-with", model="gpt-2")
    assert isinstance(rows, kg.Rows)
    res = runner.invoke(
        app, ["query", "compared-with", "--out", str(mini_build), "-p", "model=gpt-2", "-f", "csv"]
    )
    assert res.exit_code == 0, res.output
    cli = list(csv.reader(io.StringIO(res.stdout)))
    assert list(rows.columns) == cli[0] == ["other", "name", "type", "papers"]
    assert [r["name"] for r in rows] == [line[1] for line in cli[1:]] == ["Cerebras-GPT"]
    assert rows[0]["papers"] == int(cli[1][3])  # numbers come back as numbers


def test_query_text_file_and_errors(g, tmp_path):
    assert g.query("ASK { ?d a kg:Dataset }") is True
    assert g.query("ASK { ?d a kg:Paper, kg:Entity }") is False
    triples = g.query(
        "CONSTRUCT { ?d skos:prefLabel ?l } WHERE { ?d a kg:Dataset ; skos:prefLabel ?l }"
    )
    assert triples.columns == ("subject", "predicate", "object")
    assert sorted(triples.column("object")) == ["the Pile", "שלום-set"]
    rq = tmp_path / "labels.rq"
    rq.write_text(
        "# Labels.\n# @param t (iri) a class\nSELECT ?l WHERE { ?e a ?t ; skos:prefLabel ?l }"
    )
    assert g.query(str(rq), t=str(kg_iri("Task"))).column("l") == ["question answering"]
    with pytest.raises(kg.QueryError, match="no parameter bogus"):
        g.query("entity-papers", bogus=1)
    with pytest.raises(kg.QueryError, match="line 1, column"):
        g.query("SELECT ?x WHERE { ?x }")


def kg_iri(name: str) -> str:
    from kg.namespaces import KG

    return str(getattr(KG, name))


def test_rows_keep_the_query_column_order(g):
    star = g.query("SELECT * WHERE { ?s ?p ?o } LIMIT 1")
    assert star.columns == ("s", "p", "o")
    assert g.query("SELECT ?o ?s WHERE { ?s ?p ?o } LIMIT 1").columns == ("o", "s")
    assert len(star) == 1 and set(star[0]) == {"s", "p", "o"}
    assert star[:0].columns == star.columns and len(star[:0]) == 0


def test_rows_to_pandas(g):
    rows = g.query("relations-summary")
    df = rows.to_pandas()
    assert list(df.columns) == list(rows.columns)
    assert df.to_dict("records") == list(rows)


def test_to_networkx_is_the_export(g, mini_build, tmp_path):
    G = g.to_networkx()
    dest = tmp_path / "g.graphml"
    res = runner.invoke(app, ["export", str(mini_build), "--to", str(dest)])
    assert res.exit_code == 0, res.output
    back = nx.read_graphml(dest)
    assert isinstance(G, nx.MultiDiGraph)
    assert G.number_of_nodes() == back.number_of_nodes()
    assert G.number_of_edges() == back.number_of_edges()
    clean = {n for n in G.nodes if "\x0b" not in n}  # GraphML (XML 1.0) turns \x0b into a space
    for n in clean:
        for key, value in G.nodes[n].items():
            if isinstance(value, str) and "\x0b" in value:
                continue
            assert back.nodes[n][key] == value, (n, key)
    rel = sorted((u, v, d["relation"], d["paper"]) for u, v, d in G.edges(data=True) if u in clean)
    got = sorted(
        (u, v, d["relation"], d["paper"]) for u, v, d in back.edges(data=True) if u in clean
    )
    assert rel == got


def test_explain_is_what_the_cli_shows(g, mini_build):
    reports = g.explain("gpt-2")
    res = runner.invoke(app, ["explain", "gpt-2", "--out", str(mini_build), "-f", "json"])
    assert res.exit_code == 0, res.output
    assert [r.to_dict() for r in reports] == json.loads(res.stdout)
    assert str(reports[0]).startswith(reports[0].label)
    with pytest.raises(LookupError):
        g.explain("no such thing at all")


def test_open_an_rdf_file_and_a_missing_store(mini_build, tmp_path):
    from_file = kg.open(mini_build / "graph.ttl")
    n = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    assert from_file.query(n)[0]["n"] == kg.open(mini_build).query(n)[0]["n"] > 0
    with pytest.raises(kg.StoreError, match="kg build"):
        kg.open(tmp_path)
    with pytest.raises(kg.StoreError, match="no such file"):
        kg.open(tmp_path / "none.ttl")


def test_build_returns_its_report(tmp_path):
    out = tmp_path / "out"
    report = kg.build(DATA / "corpus.jsonl", out=out, model="blank", html=False)
    assert isinstance(report, kg.BuildReport)
    assert report.papers == 14 and report.summary["papers"] == 14
    assert str(report).splitlines()[0] == report.headline()
    assert "time:" in str(report)
    papers = kg.open(out).query("SELECT (COUNT(?p) AS ?n) WHERE { ?p a kg:Paper }")
    assert papers[0]["n"] == 14
    with pytest.raises(FileNotFoundError, match="nope.jsonl"):
        kg.build([tmp_path / "nope.jsonl"], out=out)

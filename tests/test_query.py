"""kg.query and `kg query` on a small hand-made build: named queries, safe parameters, formats."""

from __future__ import annotations

import csv
import io
import json
import re

import pyoxigraph as ox
import pytest
from rdflib import Graph
from typer.testing import CliRunner

from kg import query as q
from kg import rdf, store
from kg.cli import app

HOSTILE_VALUES = [
    'x" } ; DROP ALL ; #',
    "x' } INSERT DATA { <a> <b> <c> } #",
    "line\nbreak\r\n and \t tab",
    'back\\slash \\u0022 \\" ',
    "<http://evil/> ?s ?p",
    "emoji 🚀 and RTL שלום",
    '"""triple"""',
    "",
]


@pytest.fixture(scope="module")
def st(mini_build):
    return store.open_store(mini_build)


def test_at_least_ten_named_queries_each_saying_what_it_asks():
    queries = q.list_queries()
    assert len(queries) >= 10
    for nq in queries:
        assert nq.description.endswith((".", "?")) and len(nq.description) > 30, nq.name
        for p in nq.params:
            assert p.type in q.PARAM_TYPES and p.description, (nq.name, p)
            assert f"?{p.name}" in nq.text, (nq.name, p.name)


@pytest.mark.parametrize("nq", q.list_queries(), ids=lambda nq: nq.name)
def test_named_query_parses_and_runs(st, nq):
    names = {p.name: "GPT-2" for p in nq.params if p.type in ("entity", "node")}
    text, _ = q.prepare(nq.name, names, st)
    res = q.execute(st, text)
    assert isinstance(res, ox.QuerySolutions)
    list(res)


@pytest.mark.parametrize("value", HOSTILE_VALUES)
def test_parameters_cannot_change_the_query(st, value):
    """A value reaches the query as one RDF term: it comes back unchanged, nothing else runs."""
    text = "SELECT ?v (STRLEN(?v) AS ?n) WHERE { }"
    rows = q.select(st, text, {"v": value})
    assert rows == [{"v": value, "n": len(value)}]


def test_parameters_see_filters_in_the_where_group(st):
    rows = q.select(
        st,
        "SELECT ?e WHERE { ?e skos:prefLabel ?l . FILTER (LCASE(?l) = LCASE(?name)) }",
        {"name": "gpt-2"},
    )
    assert [r["e"] for r in rows] == [str(rdf.mint("gpt-2"))]


@pytest.mark.parametrize(
    "text",
    [
        'PREFIX x: <http://x/{> SELECT ?v WHERE { FILTER("{" != "}") }',
        "# a { comment\nSELECT ?v { }",
        "ASK { }",
        "CONSTRUCT { ?v ?v ?v } WHERE { }",
        "CONSTRUCT WHERE { ?s ?p ?v }",
        'SELECT ?v WHERE { BIND("""{ "quoted" }""" AS ?z) }',
    ],
)
def test_values_go_into_the_where_group(text):
    out = q.with_values(text, {"v": ox.Literal("hi")})
    at = out.index('VALUES ?v { "hi" }')
    assert out[:at].rstrip().endswith("{")
    before = out[:at]
    # The brace we bound to is the WHERE group's, not a template's or a string's.
    if "CONSTRUCT {" in text:
        assert "WHERE" in before


def test_values_placeholder_is_filled_in_place():
    """`VALUES ?x { UNDEF }` marks where a parameter binds (e.g. inside a sub-select)."""
    text = (
        'SELECT ?n WHERE { BIND("VALUES ?x { UNDEF }" AS ?s) '
        "{ SELECT (COUNT(*) AS ?n) WHERE { VALUES ?x { UNDEF } ?x ?p ?o } } }"
    )
    out = q.with_values(text, {"x": [ox.NamedNode("http://a"), ox.NamedNode("http://b")]})
    assert "{ SELECT (COUNT(*) AS ?n) WHERE { VALUES ?x { <http://a> <http://b> } ?x" in out
    assert 'BIND("VALUES ?x { UNDEF }" AS ?s)' in out  # not inside a string
    assert out.count("VALUES ?x") == 2


def test_entity_lookup_exact_spelling_first(st):
    gpt2 = ox.NamedNode(str(rdf.mint("gpt-2")))
    assert q.resolve_entity(st, "GPT2") == [gpt2]  # an alias, exact
    assert q.resolve_entity(st, "gPt2") == [gpt2]  # any case, by scan
    assert q.resolve_entity(st, "gpt-2") == [gpt2]  # the key
    paper = ox.NamedNode(str(rdf.mint("2301.00002", "paper")))
    assert q.resolve_entity(st, "scaling gpt-2 on the pile", papers=True) == [paper]
    with pytest.raises(q.QueryError, match="no entity named"):
        q.resolve_entity(st, "scaling gpt-2 on the pile")
    assert q.resolve_entity(st, f"<{paper.value}>") == [paper]


def test_typed_parameters():
    nq = q.NamedQuery(
        "t",
        q.Path("-"),
        "d",
        "SELECT ?n WHERE { }",
        (q.Param("n", "integer"), q.Param("i", "iri")),
    )
    terms = q.bind(nq, {"n": "42", "i": "<https://example.org/x>"})
    assert terms["n"] == ox.Literal("42", datatype=ox.NamedNode(str(rdf.XSD.integer)))
    assert terms["i"] == ox.NamedNode("https://example.org/x")
    with pytest.raises(q.QueryError, match="integer"):
        q.bind(nq, {"n": "4 2"})
    with pytest.raises(q.QueryError, match="no parameter"):
        q.bind(nq, {"nope": "1"})


def test_mini_answers(st):
    """Checked answers on the hand-made corpus (tests/data/rdf_mini_corpus.json)."""

    def run(query_name, **params):
        text, _ = q.prepare(query_name, params, st)
        res = q.execute(st, text)
        names = [v.value for v in res.variables]
        return [{n: q.term_value(r[n]) for n in names} for r in res]

    top = run("datasets-most-used")
    assert [(r["name"], r["papers"]) for r in top] == [("the Pile", 2), ("שלום-set", 1)]
    assert {r["name"] for r in run("compared-with", model="GPT2")} == {"Cerebras-GPT"}
    assert {r["name"] for r in run("compared-with", model="cerebras-gpt")} == {"GPT-2"}
    assert [r["name"] for r in run("methods-for-task", task="qa")] == ["Cerebras-GPT"]
    co = run("co-occurring-entities", name="the pile")
    assert {(r["otherName"], r["papers"]) for r in co} == {
        ("GPT-2", 2),
        ("Cerebras-GPT", 1),
        ("question answering", 1),
        ("Adam", 1),
    }
    built = run("builds-on", name="gpt 2")
    assert [r["proposedName"] for r in built] == ['"Q<A>" net 🚀']
    ev = run("edge-evidence", head="GPT-2", tail="Pile")
    assert {r["sentence"] for r in ev} == {
        "We train GPT-2 on the Pile with Adam.",
        "GPT-2 is evaluated on the Pile.",
    }
    orgs = {r["organisation"]: r["papers"] for r in run("papers-per-organisation")}
    assert orgs == {"Cerebras": 1, "OpenAI": 1, 'Org "Quoted" <Lab>': 1}
    over_time = run("dataset-use-over-time")
    assert {(r["month"], r["name"]) for r in over_time} == {
        ("2023-07", "the Pile"),
        ("2023-09", "the Pile"),
    }
    assert run("dataset-use-over-time", dataset="שלום-set") == []  # its paper has no date
    with pytest.raises(q.QueryError, match="no entity named"):
        run("dataset-use-over-time", dataset="nothing such")
    assert run("new-models-per-month") == [
        {"month": "2023-07", "models": 1, "names": "Cerebras-GPT"}
    ]
    aliases = run("most-aliases")
    assert aliases[0]["aliases"] == 2
    papers = run("entity-papers", name="the pile")
    assert len(papers) == 2 and {r["role"] for r in papers} == {str(rdf.KG.uses)}


# ----------------------------------------------------------------------------- CLI

runner = CliRunner()


def test_cli_list():
    res = runner.invoke(app, ["query", "--list"])
    assert res.exit_code == 0, res.output
    for nq in q.list_queries():
        assert nq.name in res.output


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json", "xml", "table"])
def test_cli_formats(mini_build, fmt):
    res = runner.invoke(
        app,
        ["query", "compared-with", "--out", str(mini_build), "--param", "model=gpt-2", "-f", fmt],
    )
    assert res.exit_code == 0, res.output
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(res.stdout)))
        assert [r["name"] for r in rows] == ["Cerebras-GPT"]
    elif fmt == "json":
        doc = json.loads(res.stdout)
        assert doc["head"]["vars"] == ["other", "name", "type", "papers"]
        assert doc["results"]["bindings"][0]["name"]["value"] == "Cerebras-GPT"
    else:
        assert "Cerebras-GPT" in res.stdout


def test_cli_ask_and_construct(mini_build):
    ask = runner.invoke(app, ["query", "ASK { ?d a kg:Dataset }", "--out", str(mini_build)])
    assert ask.exit_code == 0 and ask.stdout == "yes\n"
    ask = runner.invoke(
        app, ["query", "ASK { ?d a kg:Paper, kg:Entity }", "--out", str(mini_build)]
    )
    assert ask.stdout == "no\n"
    text = "CONSTRUCT { ?d skos:prefLabel ?l } WHERE { ?d a kg:Dataset ; skos:prefLabel ?l }"
    res = runner.invoke(app, ["query", text, "--out", str(mini_build), "-f", "csv"])
    assert res.exit_code == 0, res.output
    got = Graph().parse(data=res.stdout, format="nt")
    assert sorted(str(o) for o in got.objects()) == ["the Pile", "שלום-set"]


def test_cli_graph_file_fallback(mini_build):
    """--graph parses a file (here Turtle) instead of opening the store; same answer."""
    args = ["query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "-f", "csv"]
    from_store = runner.invoke(app, [*args, "--out", str(mini_build)])
    from_file = runner.invoke(app, [*args, "--graph", str(mini_build / "graph.ttl")])
    assert from_store.exit_code == 0 and from_file.exit_code == 0
    assert from_store.stdout == from_file.stdout
    assert int(from_file.stdout.splitlines()[1]) == store.count_triples(
        store.open_store(mini_build)
    )


def test_cli_query_file(mini_build, tmp_path):
    f = tmp_path / "mine.rq"
    f.write_text(
        "# Labels of a given type.\n# @param t (iri) the class\n"
        "SELECT ?l WHERE { ?e a ?t ; skos:prefLabel ?l } ORDER BY ?l\n",
        encoding="utf-8",
    )
    res = runner.invoke(
        app,
        ["query", str(f), "--out", str(mini_build), "-p", f"t={rdf.KG.Task}", "-f", "csv"],
    )
    assert res.exit_code == 0, res.output
    assert res.stdout.splitlines() == ["l", "question answering"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["query", "no-such-query"], "neither a named query"),
        (["query", "missing.rq"], "no such query file"),
        (["query", "entity-papers", "-p", "oops"], "NAME=VALUE"),
        (["query", "entity-papers", "-p", "bogus=1"], "no parameter bogus"),
        (["query", "SELECT ?x WHERE { ?x ", "--format", "csv"], "syntax error"),
        (["query", "relations-summary", "--format", "yaml"], "unknown format"),
    ],
)
def test_cli_errors_are_clear(mini_build, args, message):
    res = runner.invoke(app, [*args, "--out", str(mini_build)])
    assert res.exit_code == 1
    assert message in " ".join(res.output.split())


def test_cli_missing_store(tmp_path):
    res = runner.invoke(app, ["query", "relations-summary", "--out", str(tmp_path)])
    assert res.exit_code == 1
    assert "kg build" in res.output


# ----------------------------------------------------------------------------- column order


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json", "xml", "table"])
def test_select_star_keeps_the_order_of_the_query(mini_build, fmt):
    """Oxigraph orders `SELECT *` variables its own way (o, p, s); kg keeps the query's."""
    text = "SELECT * WHERE { ?s ?p ?o } LIMIT 2"
    res = runner.invoke(app, ["query", text, "--out", str(mini_build), "-f", fmt])
    assert res.exit_code == 0, res.output
    if fmt == "csv":
        assert res.stdout.splitlines()[0] == "s,p,o"
    elif fmt == "tsv":
        assert res.stdout.splitlines()[0] == "?s\t?p\t?o"
    elif fmt == "json":
        assert json.loads(res.stdout)["head"]["vars"] == ["s", "p", "o"]
    elif fmt == "xml":
        heads = re.findall(r'<variable name="(\w+)"', res.stdout)
        assert heads == ["s", "p", "o"]
    else:
        header = next(line for line in res.stdout.splitlines() if " s " in f" {line} ")
        assert header.index(" s ") < header.index(" p ") < header.index(" o ")


def test_star_order_follows_first_mention_and_ignores_strings_and_comments(st):
    text = (
        "# ?zzz in a comment\n"
        'SELECT DISTINCT * WHERE { ?b ?a "?c" . BIND (1 AS ?d) '
        "{ SELECT ?e WHERE { ?e ?f ?g } LIMIT 1 } } LIMIT 1"
    )
    prepared, _ = q.prepare(text, {}, st)
    res = q.execute(st, prepared)
    assert [v.value for v in res.variables] == ["b", "a", "d", "e"]
    explicit = "SELECT ?o ?s WHERE { ?s ?p ?o } LIMIT 1"
    assert [v.value for v in q.run(st, explicit).variables] == ["o", "s"]


def test_star_with_a_parameter_keeps_the_order(st):
    text = "SELECT * WHERE { ?e skos:prefLabel ?label . ?e a ?type } ORDER BY ?label"
    res = q.run(st, text, {"type": str(rdf.KG.Dataset)})
    assert [v.value for v in res.variables] == ["e", "label", "type"]


# ----------------------------------------------------------------------------- syntax errors


def _error(mini_build, *args: str) -> str:
    res = runner.invoke(app, ["query", *args, "--out", str(mini_build)], env={"COLUMNS": "200"})
    assert res.exit_code == 1
    return res.output


def test_syntax_error_shows_line_column_and_caret(mini_build):
    text = "SELECT ?s WHERE {\n  ?s ?p ?o .\n  FILTER (?o > 3\n}"
    out = _error(mini_build, text)
    lines = out.rstrip("\n").splitlines()
    assert "line 3, column 3" in lines[0] and "FILTER" in lines[0]
    assert lines[-2].endswith("|   FILTER (?o > 3")
    assert lines[-1].endswith("|   ^")
    # The caret is under the column named.
    assert lines[-1].index("^") == lines[-2].index("FILTER")
    assert len(lines) <= 6
    assert "\\u{" not in out and "expected one of" not in out


@pytest.mark.parametrize(
    ("text", "line", "col", "near"),
    [
        ("SELECT ?s WHERE { ?s ?p }", 1, 19, "?s"),
        ("SELEC ?s WHERE { ?s ?p ?o }", 1, 1, "SELEC"),
        ("SELECT ?s WHERE { ?s ?p ?o } GROUP ?s", 1, 30, "GROUP"),
        ("SELECT ?s WHERE { ?s foo:bar ?o }", 1, 22, "foo"),
    ],
)
def test_syntax_error_positions(text, line, col, near):
    with pytest.raises(q.QueryError) as info:
        q.check(text)
    message = str(info.value)
    assert f"line {line}, column {col} (near '{near}" in message
    shown, caret = message.splitlines()[1:3]
    assert caret.index("^") == shown.index("| ") + 2 + col - 1


def test_unknown_prefix_is_named(mini_build):
    out = _error(mini_build, "SELECT ?s WHERE { ?s foo:bar ?o }")
    assert "unknown prefix 'foo:'" in out


def test_syntax_error_in_a_query_file_names_the_file(mini_build, tmp_path):
    f = tmp_path / "broken.rq"
    f.write_text("# Broken.\nSELECT ?s\nWHERE { ?s ?p ?o . FILTER (?o = ) }\n", encoding="utf-8")
    out = " ".join(_error(mini_build, str(f)).split())
    assert "broken.rq at line 3" in out


def test_long_one_line_query_is_cut_around_the_error():
    text = "SELECT ?s WHERE { " + " ".join(f"?s ?p{i} ?o{i} ." for i in range(60)) + " FILTER( }"
    with pytest.raises(q.QueryError) as info:
        q.check(text)
    shown, caret = str(info.value).splitlines()[1:3]
    assert len(shown) < 120 and "…" in shown
    assert shown[caret.index("^") :].startswith("FILTER")


def test_error_position_survives_pyparsing_packrat():
    """matplotlib (imported by igraph when installed) turns pyparsing's packrat cache on for
    the whole process; the position of an error in a long query must not change."""
    import subprocess
    import sys

    code = (
        "import pyparsing; pyparsing.ParserElement.enable_packrat()\n"
        "from kg import query as q\n"
        "text = 'SELECT ?s WHERE { ' + ' '.join(f'?s ?p{i} ?o{i} .' for i in range(60))"
        " + ' FILTER( }'\n"
        "try:\n    q.check(text)\nexcept q.QueryError as e:\n    print(str(e).splitlines()[0])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "SPARQL syntax error at line 1, column 899 (near 'FILTER'):"

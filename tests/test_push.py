"""`kg push`: every triple of a build lands in a real Graph Store Protocol server.

The server is a real read-write ``oxigraph serve`` on a free loopback port, started per test
module with an empty store in a temporary folder.
"""

from __future__ import annotations

import subprocess

import pytest
from rdf_helpers import free_port
from SPARQLWrapper import JSON, SPARQLWrapper
from typer.testing import CliRunner

from kg import push as kgpush
from kg import serve
from kg.cli import app

runner = CliRunner()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A read-write Oxigraph server; yields its base URL (http://127.0.0.1:PORT)."""
    try:
        binary = serve.find_oxigraph()
    except serve.ServeError as exc:
        pytest.skip(str(exc))
    location = tmp_path_factory.mktemp("server-store")
    port = free_port()
    proc = subprocess.Popen(
        [binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        serve.wait_ready(base + "/query", 30, proc)
        yield base
    finally:
        serve.stop(proc)


def count(base: str, graph: str | None = None) -> int:
    client = SPARQLWrapper(base + "/query")
    where = f"GRAPH <{graph}> {{ ?s ?p ?o }}" if graph else "?s ?p ?o"
    client.setQuery(f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}")
    client.setReturnFormat(JSON)
    res = client.queryAndConvert()
    return int(res["results"]["bindings"][0]["n"]["value"])


def lines(path) -> int:
    return sum(1 for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip())


def test_push_default_graph_lands_every_triple(server, mini_build):
    assert count(server) == 0
    res = runner.invoke(app, ["push", "--endpoint", server + "/store", "--out", str(mini_build)])
    assert res.exit_code == 0, res.output
    assert count(server) == lines(mini_build / "graph.nt")
    # Pushing again adds nothing new (RDF graphs are sets).
    kgpush.push(mini_build, server + "/store")
    assert count(server) == lines(mini_build / "graph.nt")


def test_push_named_graph_and_replace(server, mini_build, tmp_path):
    g = "https://example.org/graphs/kg?run=1&x=y#1"  # '?', '&', '#' must be percent-encoded
    before = count(server, g)
    assert before == 0
    kgpush.push(mini_build, server + "/store", graph=g)
    n = lines(mini_build / "graph.nt")
    assert count(server, g) == n
    # --replace (PUT) swaps the graph's content for a smaller file.
    small = tmp_path / "small.nt"
    small.write_text(
        '<https://example.org/a> <https://example.org/b> "x \\" y" .\n', encoding="utf-8"
    )
    res = runner.invoke(
        app,
        ["push", "--endpoint", server + "/store", "--graph", g, "--out", str(small), "--replace"],
    )
    assert res.exit_code == 0, res.output
    assert count(server, g) == 1


def test_push_turtle_file(server, mini_build):
    g = "https://example.org/graphs/from-turtle"
    kgpush.push(mini_build / "graph.ttl", server + "/store", graph=g)
    assert count(server, g) == lines(mini_build / "graph.nt")


def test_target_url_encodes_the_graph():
    assert kgpush.target_url("http://h:1/store") == "http://h:1/store?default"
    assert (
        kgpush.target_url("http://h:1/ds/data?x=1", "http://e.org/g?a=1#b")
        == "http://h:1/ds/data?x=1&graph=http%3A%2F%2Fe.org%2Fg%3Fa%3D1%23b"
    )


@pytest.mark.parametrize(
    ("endpoint", "message"),
    [
        ("ftp://example.org/store", "not an http(s) URL"),
        ("http://127.0.0.1:{dead}/store", "cannot reach"),
        ("{server}/nothing-here", "HTTP 404"),
        ("{server}/store --graph has<space> x", "not a valid IRI"),
        ("{server}/store --graph relative/iri", "No scheme found"),
    ],
)
def test_push_errors_are_clear(server, mini_build, endpoint, message):
    endpoint, *graph = endpoint.format(server=server, dead=free_port()).split(" --graph ")
    args = ["push", "--endpoint", endpoint, "--out", str(mini_build)]
    if graph:
        args += ["--graph", graph[0]]
    res = runner.invoke(app, args)
    assert res.exit_code == 1
    assert message in " ".join(res.output.split())


def test_push_without_build(tmp_path):
    res = runner.invoke(app, ["push", "--endpoint", "http://h/store", "--out", str(tmp_path)])
    assert res.exit_code == 1 and "kg build" in res.output


@pytest.mark.slow
def test_push_seed_build(server, seed_build):
    g = "https://example.org/graphs/seeds"
    assert count(server, g) == 0
    kgpush.push(seed_build, server + "/store", graph=g)
    assert count(server, g) == lines(seed_build / "graph.nt")

"""`kg serve`: a real Oxigraph SPARQL endpoint over a build, queried by real HTTP clients."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from rdf_helpers import free_port
from SPARQLWrapper import CSV, JSON, TSV, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from kg import query as q
from kg import serve, store

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


@pytest.fixture(scope="module")
def endpoint(mini_build):
    try:
        serve.find_oxigraph()
    except serve.ServeError as exc:
        pytest.skip(str(exc))
    port = free_port()
    proc = serve.start(mini_build, port=port, timeout_s=2)
    yield serve.endpoint_url(port=port)
    serve.stop(proc)


def sparql(url: str, query: str, fmt=JSON) -> SPARQLWrapper:
    client = SPARQLWrapper(url)
    client.setQuery(query)
    client.setReturnFormat(fmt)
    return client


def test_sparqlwrapper_counts_every_triple(endpoint, mini_build):
    res = sparql(endpoint, COUNT).queryAndConvert()
    n = int(res["results"]["bindings"][0]["n"]["value"])
    assert n == store.count_triples(store.open_store(mini_build))


def test_named_query_same_answer_over_http(endpoint, mini_build):
    text, _ = q.prepare("compared-with", {"model": "GPT-2"}, store.open_store(mini_build))
    res = sparql(endpoint, text).queryAndConvert()
    names = {b["name"]["value"] for b in res["results"]["bindings"]}
    local = q.select(store.open_store(mini_build), text)
    assert names == {r["name"] for r in local} == {"Cerebras-GPT"}


@pytest.mark.parametrize(
    ("accept", "content_type"),
    [
        ("application/sparql-results+json", "application/sparql-results+json"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
    ],
)
def test_result_formats_by_accept_header(endpoint, mini_build, accept, content_type):
    url = endpoint + "?" + urllib.parse.urlencode({"query": COUNT})
    req = urllib.request.Request(url, headers={"Accept": accept})
    with urllib.request.urlopen(req, timeout=10) as resp:
        assert resp.headers["Content-Type"].startswith(content_type)
        body = resp.read().decode()
    n = store.count_triples(store.open_store(mini_build))
    if accept.endswith("json"):
        assert json.loads(body)["results"]["bindings"][0]["n"]["value"] == str(n)
    elif accept == "text/csv":
        assert list(csv.reader(io.StringIO(body))) == [["n"], [str(n)]]
    else:
        assert str(n) in body


@pytest.mark.parametrize("fmt", [XML, CSV, TSV])
def test_sparqlwrapper_formats(endpoint, fmt):
    res = sparql(endpoint, "SELECT ?l WHERE { ?e skos:prefLabel ?l } LIMIT 1", fmt)
    res.setQuery(
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
        'SELECT ?l WHERE { ?e skos:prefLabel ?l FILTER (?l = "GPT-2") }'
    )
    out = res.query().convert()
    text = out.toxml() if fmt == XML else out.decode()
    assert "GPT-2" in text


@pytest.mark.parametrize(
    ("path", "body", "content_type"),
    [
        ("/update", "DROP ALL", "application/sparql-update"),
        (
            "/update",
            "update=INSERT+DATA+%7B%3Chttp%3A%2F%2Fa%3E+%3Chttp%3A%2F%2Fb%3E+1%7D",
            "application/x-www-form-urlencoded",
        ),
        ("/store?default", "<http://a> <http://b> <http://c> .", "application/n-triples"),
    ],
)
def test_updates_are_refused(endpoint, mini_build, path, body, content_type):
    before = store.count_triples(store.open_store(mini_build))
    url = endpoint.removesuffix("/query") + path
    req = urllib.request.Request(
        url, data=body.encode(), headers={"Content-Type": content_type}, method="POST"
    )
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(req, timeout=10)
    assert info.value.code in (403, 405)
    res = sparql(endpoint, COUNT).queryAndConvert()
    assert int(res["results"]["bindings"][0]["n"]["value"]) == before


def test_sparqlwrapper_update_is_refused(endpoint):
    client = SPARQLWrapper(endpoint, updateEndpoint=endpoint.removesuffix("/query") + "/update")
    client.setMethod("POST")
    client.setQuery("DELETE WHERE { ?s ?p ?o }")
    with pytest.raises((SPARQLWrapperException, urllib.error.HTTPError)):
        client.query()


def test_slow_query_times_out(endpoint):
    """A runaway query is cancelled by the server's timeout (2 s here), not left running.

    Oxigraph streams results, so the status line is already sent: the cancellation shows as
    a truncated body carrying the error instead of a result.
    """
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    url = endpoint + "?" + urllib.parse.urlencode({"query": slow})
    req = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    t0 = time.monotonic()
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            body = resp.read().decode(errors="replace")
    except urllib.error.HTTPError as exc:
        body = exc.read().decode(errors="replace")
    elapsed = time.monotonic() - t0
    assert "cancelled" in body
    with pytest.raises(json.JSONDecodeError):
        json.loads(body)
    assert elapsed < 20
    with pytest.raises((json.JSONDecodeError, SPARQLWrapperException)):
        sparql(endpoint, slow).queryAndConvert()


def test_cli_serve_runs_the_endpoint(mini_build):
    """`kg serve` in a subprocess answers queries, then stops on SIGTERM."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "kg", "serve", "--out", str(mini_build), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        serve.wait_ready(serve.endpoint_url(port=port), 30)
        res = sparql(serve.endpoint_url(port=port), COUNT).queryAndConvert()
        assert int(res["results"]["bindings"][0]["n"]["value"]) > 0
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        for stream in (proc.stdout, proc.stderr):
            stream.close()
    # The command became the server (exec), so stopping it left nothing listening.
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(serve.endpoint_url(port=port) + "?query=ASK%7B%7D", timeout=2)


def test_cli_serve_without_store(tmp_path):
    res = subprocess.run(
        [sys.executable, "-m", "kg", "serve", "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert res.returncode == 1
    assert "kg build" in res.stderr


@pytest.mark.slow
def test_seed_build_over_http(seed_build, seed_graph):
    port = free_port()
    proc = serve.start(seed_build, port=port)
    try:
        url = serve.endpoint_url(port=port)
        text, _ = q.prepare("relations-summary")
        res = sparql(url, text).queryAndConvert()
        got = {
            b["relation"]["value"].rsplit("#", 1)[1]: int(b["assertions"]["value"])
            for b in res["results"]["bindings"]
        }
        facts = {(d["relation"], u, v, d["paper"]) for u, v, d in seed_graph.edges(data=True)}
        expected: dict[str, int] = {}
        for rel, *_ in facts:
            expected[rel] = expected.get(rel, 0) + 1
        assert got == expected
    finally:
        serve.stop(proc)

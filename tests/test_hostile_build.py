"""Untrusted text end to end: odd ids, titles and names give valid RDF and an inert page."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from conftest import require_tool
from rdflib import Graph

from kg.builder import build
from kg.rdf import validate

HOSTILE = Path(__file__).parent / "data" / "build" / "hostile.jsonl"


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("hostile")
    report = build([HOSTILE], out, model="en_core_web_sm")
    assert report.papers == 3 and not [p for p in report.problems if p.fatal]
    return out


def test_ids_and_titles_survive_into_rdf(hostile_build):
    g = Graph().parse(hostile_build / "graph.nt", format="nt")
    titles = {str(o) for o in g.objects(None, None) if "EvilNet:" in str(o)}
    records = [json.loads(x) for x in HOSTILE.read_text(encoding="utf-8").splitlines()]
    assert records[0]["title"] in titles, "the title comes back unchanged, newline and all"
    ids = {str(o) for s, p, o in g if str(p).endswith("/identifier")}
    assert {r["id"] for r in records} <= ids


def test_every_syntax_parses_independently(hostile_build):
    rapper = require_tool("rapper")
    for name, syntax in (("graph.ttl", "turtle"), ("graph.nt", "ntriples")):
        proc = subprocess.run(
            [rapper, "-i", syntax, "-c", str(hostile_build / name)], capture_output=True, text=True
        )
        assert proc.returncode == 0, proc.stderr
    jsonld = Graph().parse(hostile_build / "graph.jsonld", format="json-ld")
    nt = Graph().parse(hostile_build / "graph.nt", format="nt")
    assert len(jsonld) == len(nt)


def test_hostile_build_conforms_to_shapes(hostile_build):
    result = validate(hostile_build / "graph.ttl")
    assert result.conforms, result.text


def test_page_does_not_carry_live_markup(hostile_build):
    html = (hostile_build / "graph.html").read_text(encoding="utf-8")
    assert "<img src=x" not in html
    assert "\\u003cimg src=x" in html or "&lt;img src=x" in html

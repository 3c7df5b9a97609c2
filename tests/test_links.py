"""Code and project links from abstracts: found safely, written to RDF, queried by name."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from kg import query as q
from kg import rdf, store
from kg.builder import build
from kg.links import MAX_LINKS, find_links, kind_of

GH, GL = "https://github.com", "https://gitlab.com"
CASES = [
    ("Code is available at https://github.com/org/repo.", [(f"{GH}/org/repo", "code")]),
    ("Code: github.com/org/repo, data soon", [(f"{GH}/org/repo", "code")]),
    ("(see https://x.github.io/proj).", [("https://x.github.io/proj", "page")]),
    ("https://github.com/a/b{https://github.com/a/b}.", [(f"{GH}/a/b", "code")]),
    (
        "Wiki https://en.wikipedia.org/wiki/Foo_(bar) here",
        [("https://en.wikipedia.org/wiki/Foo_(bar)", "page")],
    ),
    (
        "Video: http://youtu.be/abc; code https://gitlab.com/g/p",
        [("http://youtu.be/abc", "page"), (f"{GL}/g/p", "code")],
    ),
    ("at https://www.github.com/dm/ctl!", [("https://www.github.com/dm/ctl", "code")]),
    (
        "home https://github.com/ and https://huggingface.co/org",
        [(f"{GH}/", "page"), ("https://huggingface.co/org", "page")],
    ),
    ('x https://evil.org/"><script>alert(1)</script>', [("https://evil.org/", "page")]),
    ("javascript:alert(1) data:text/html,<b>x</b> ftp://host/file", []),
    ("https://localhost/x https:// https://.com/ https://1.2.3.4/x", []),
    ("See https://github.com/o/r and HTTPS://GITHUB.COM/o/r/", [(f"{GH}/o/r", "code")]),
    ("", []),
]


@pytest.mark.parametrize("text, found", CASES)
def test_links_in_hostile_text(text, found):
    assert [(link.url, link.kind) for link in find_links(text)] == found


def test_links_are_capped_and_kinds_come_from_data():
    text = " ".join(f"https://github.com/o/r{i}" for i in range(3 * MAX_LINKS))
    assert len(find_links(text)) == MAX_LINKS
    assert kind_of("https://anonymous.4open.science/r/X") == "code"
    assert kind_of("https://cec-agent.github.io/") == "page"


ABSTRACT = (
    "We propose FooNet for image classification. Code is available at "
    "https://github.com/foo/foonet. Project page: https://foo.github.io/net. "
    'A hostile one: https://evil.example/a"b<c> and javascript:alert(1).'
)


@pytest.fixture(scope="module")
def linked_build(tmp_path_factory):
    import json

    tmp = tmp_path_factory.mktemp("links")
    src = tmp / "in.jsonl"
    records = [
        {"id": "p1", "title": "FooNet: Networks with Code", "abstract": ABSTRACT},
        {"id": "p2", "title": "No Code Here", "abstract": "We study BERT on SQuAD."},
    ]
    src.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    out = tmp / "out"
    build([src], out, model="blank")
    return out


def test_code_links_are_in_the_rdf_and_conform(linked_build):
    from rdflib import Graph, URIRef
    from rdflib.namespace import SDO

    from kg.namespaces import KG

    g = Graph().parse(linked_build / "graph.nt", format="nt")
    paper = rdf.mint("p1", "paper")
    assert set(g.objects(paper, SDO.codeRepository)) == {URIRef("https://github.com/foo/foonet")}
    assert set(g.objects(paper, KG.projectPage)) == {
        URIRef("https://foo.github.io/net"),
        URIRef("https://evil.example/a"),
    }
    assert not list(g.objects(rdf.mint("p2", "paper"), SDO.codeRepository))
    result = rdf.validate(g)
    assert result.conforms, result.text


@pytest.mark.skipif(shutil.which("rapper") is None, reason="rapper (raptor2-utils) not installed")
def test_rapper_reads_the_links(linked_build):
    proc = subprocess.run(
        ["rapper", "-q", "-i", "turtle", "-o", "ntriples", str(linked_build / "graph.ttl")],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "<https://schema.org/codeRepository> <https://github.com/foo/foonet>" in proc.stdout


def test_papers_with_code_query(linked_build):
    st = store.open_store(linked_build)
    text, _ = q.prepare("papers-with-code", {}, st)
    rows = [
        {k: q.term_value(v) for k, v in zip(["paper", "title", "code", "proposes"], r, strict=True)}
        for r in q.execute(st, text)
    ]
    assert [(r["title"], r["code"]) for r in rows] == [
        ("FooNet: Networks with Code", "https://github.com/foo/foonet")
    ]


def test_page_payload_carries_links(linked_build):
    import json
    import re

    html = (linked_build / "graph.html").read_text(encoding="utf-8")
    payload = re.search(r'id="kg-data">(.*?)</script>', html, re.S).group(1)
    data = json.loads(payload)
    links = data["details"]["paper:p1"]["links"]
    assert links[0] == ["https://github.com/foo/foonet", "code"]
    assert "<" not in payload  # escaped inside the script element

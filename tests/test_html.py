"""The graph page without a browser: self-contained, escaped, faithful to the graph."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import networkx as nx
import pytest
from browser import XSS_ENTITY, XSS_TITLE, sample_extractions, sample_graph
from typer.testing import CliRunner

from kg.cli import app
from kg.html import NodeNotFound, find_node, render_html, select, write_html
from kg.html.layout import positions
from kg.html.page import script_json
from kg.html.payload import build_payload, segments
from kg.html.subgraph import neighbourhood, top_nodes


class _Page(HTMLParser):
    """Collects tags, URL-bearing attributes and script bodies of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.urls: list[tuple[str, str, str]] = []
        self.scripts: list[tuple[dict, str]] = []
        self._script: dict | None = None
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        a = dict(attrs)
        for name in ("src", "href", "action", "srcset", "poster", "data"):
            if a.get(name) is not None:
                self.urls.append((tag, name, a[name]))
        if tag == "script":
            self._script = a
            self.scripts.append((a, ""))
        self._in_title = tag == "title"

    def handle_endtag(self, tag):
        if tag == "script":
            self._script = None
        self._in_title = False

    def handle_data(self, data):
        if self._script is not None:
            attrs, body = self.scripts[-1]
            self.scripts[-1] = (attrs, body + data)
        if self._in_title:
            self.title += data


@pytest.fixture(scope="module")
def graph() -> nx.MultiDiGraph:
    return sample_graph()


@pytest.fixture(scope="module")
def page(graph, tmp_path_factory) -> tuple[Path, str, _Page]:
    path = write_html(graph, tmp_path_factory.mktemp("page") / "g.html", title="T <b>&</b>")
    text = path.read_text("utf-8")
    parsed = _Page()
    parsed.feed(text)
    return path, text, parsed


def _data(parsed: _Page) -> dict:
    (body,) = [b for a, b in parsed.scripts if a.get("id") == "kg-data"]
    return json.loads(body)


def test_page_is_one_file_with_no_external_url(page):
    path, text, parsed = page
    assert path.is_file() and not list(path.parent.glob(".*.tmp"))
    assert parsed.urls == []  # no src/href/action at all: everything is inline
    assert "link" not in parsed.tags and "iframe" not in parsed.tags
    assert all("src" not in a for a, _ in parsed.scripts)
    for _, body in parsed.scripts:
        assert "cdn.jsdelivr" not in body and "unpkg.com" not in body and "cdnjs" not in body
    # vis-network itself is inlined from pyvis's bundled copy.
    assert any("vis-network" in b or "DataSet" in b for _, b in parsed.scripts)


def test_xss_text_never_appears_as_markup(page):
    _, text, parsed = page
    assert XSS_TITLE not in text and XSS_ENTITY not in text
    assert "<img" not in text.lower()
    # Exactly our three <script> elements: nothing in the data closed one early.
    assert len(parsed.scripts) == 3
    assert [a.get("type") for a, _ in parsed.scripts] == ["application/json", None, None]
    assert parsed.title == "T <b>&</b>"
    assert "<title>T &lt;b&gt;&amp;&lt;/b&gt;</title>" in text
    data = _data(parsed)
    assert data["details"]["paper:2401.00003"]["name"] == XSS_TITLE
    assert any(d["name"] == XSS_ENTITY for d in data["details"].values())


def test_script_json_escapes_what_could_end_a_script():
    nasty = {"a": "</script><!-- \u2028\u2029 & <b>", "b": ["</SCRIPT>"]}
    out = script_json(nasty)
    for bad in ("</script", "</SCRIPT", "<!--", "\u2028", "\u2029", "<", ">", "&"):
        assert bad not in out
    assert json.loads(out) == nasty


def test_every_node_and_edge_is_drawn_with_evidence(graph, page):
    data = _data(page[2])
    assert sorted(n["id"] for n in data["nodes"]) == sorted(graph.nodes)
    assert all(isinstance(n["x"], float) and isinstance(n["y"], float) for n in data["nodes"])
    assert all(n["physics"] is False for n in data["nodes"])
    # One drawn edge per (head, relation, tail); parallel edges are folded into its evidence.
    keys = {(u, v, d["relation"]) for u, v, d in graph.edges(data=True)}
    assert sorted((e["from"], e["to"], e["rel"]) for e in data["edges"]) == sorted(keys)
    # Entity relations are labelled; the many paper links are told apart by colour instead,
    # and the legend shows each relation's colour.
    colours = {r["name"]: r["colour"] for r in data["relations"]}
    assert len({colours["proposes"], colours["uses"], colours["trainedOn"]}) == 3
    for e in data["edges"]:
        assert e["color"]["color"] == colours[e["rel"]]
        if e["rel"] in ("proposes", "uses"):
            assert "label" not in e
        else:
            assert e["label"] == e["rel"]
    ids = [e["id"] for e in data["edges"]]
    assert len(ids) == len(set(ids))
    # The mention is highlighted by offsets relative to its sentence.
    (uses,) = [
        e for e in data["edges"] if (e["from"], e["to"]) == ("paper:2401.00001", "entity:squad")
    ]
    paper, conf, sentence, s, e = uses["ev"][0]
    assert paper == "2401.00001" and conf == 0.9 and sentence[s:e] == "SQuAD"
    bert = data["details"]["entity:bert"]
    assert bert["papers"] == 3 and bert["type"] == "Model"
    legend = {t["name"]: t["count"] for t in data["types"]}
    assert legend == {"Paper": 3, "Method": 2, "Model": 3, "Dataset": 2, "Task": 1}
    sizes = {n["id"]: n["size"] for n in data["nodes"]}
    assert sizes["entity:bert"] > sizes["entity:elmo"]


def test_paper_abstract_is_split_around_its_entities(page):
    paper = _data(page[2])["details"]["paper:2401.00001"]
    marked = [(text, ref) for text, ref in paper["abstract"] if ref]
    assert ("Wikipedia", "entity:wikipedia") in marked and ("SQuAD", "entity:squad") in marked
    assert "".join(t for t, _ in paper["abstract"]) == sample_extractions()[0].paper.abstract
    assert paper["meta"]["organisation"] == "Google"


def test_segments_handle_overlaps_and_out_of_range_spans():
    text = "abc def ghi"
    segs = segments(text, [(4, 7, "d"), (0, 3, "a"), (5, 9, "x"), (20, 30, "z")])
    assert segs == [["abc", "a"], [" ", ""], ["def", "d"], [" g", "x"], ["hi", ""]]
    assert "".join(s for s, _ in segs) == text
    assert segments("", []) == [["", ""]]


def test_edge_evidence_is_capped_but_counted():
    g = sample_graph()
    u, v = "entity:bert", "entity:wikipedia"
    d0 = next(iter(g.get_edge_data(u, v).values()))
    for i in range(6):
        g.add_edge(u, v, key=f"trainedOn@x{i}", **{**d0, "paper": f"x{i}"})
    data = build_payload(g, positions(g))
    (e,) = [e for e in data["edges"] if (e["from"], e["to"], e["rel"]) == (u, v, "trainedOn")]
    assert len(e["ev"]) == 3 and e["nev"] == 7


def test_find_node_by_name_alias_or_title(graph):
    assert find_node(graph, "bert") == "entity:bert"
    assert find_node(graph, "  SQuAD ") == "entity:squad"
    assert find_node(graph, XSS_TITLE) == "paper:2401.00003"
    with pytest.raises(NodeNotFound, match="did you mean: RoBERTa"):
        find_node(graph, "Roberto")


def test_neighbourhood_and_top_n(graph):
    one = neighbourhood(graph, "entity:elmo", 1)
    assert set(one) == {"entity:elmo", "paper:2401.00001", "entity:bert"}
    two = neighbourhood(graph, "entity:elmo", 2)
    assert set(one) < set(two) and "entity:wikipedia" in two
    top = top_nodes(graph, 2)
    assert set(top) == {"entity:bert", "entity:squad"}
    kept = select(graph, focus="ELMo", hops=2, max_nodes=3)
    assert "entity:elmo" in kept and kept.number_of_nodes() == 3
    # Kept nodes keep every edge among them.
    assert kept.number_of_edges() == graph.subgraph(kept.nodes).number_of_edges()


def test_focus_page_holds_only_the_neighbourhood(graph):
    html = render_html(graph, focus="ELMo", hops=1)
    parsed = _Page()
    parsed.feed(html)
    assert sorted(n["id"] for n in _data(parsed)["nodes"]) == sorted(
        ["entity:elmo", "paper:2401.00001", "entity:bert"]
    )
    with pytest.raises(NodeNotFound):
        render_html(graph, focus="no such thing")


def test_layout_is_deterministic_and_spread(graph):
    a, b = positions(graph), positions(graph)
    assert a == b and set(a) == set(graph.nodes)
    assert len(set(a.values())) == graph.number_of_nodes()
    assert positions(nx.MultiDiGraph()) == {}


def test_cli_writes_page_and_reports_bad_input(tmp_path):
    ex = tmp_path / "extractions.jsonl"
    ex.write_text("".join(pe.to_json() + "\n" for pe in sample_extractions()), "utf-8")
    runner = CliRunner()
    r = runner.invoke(app, ["html", "--out", str(tmp_path)])
    assert r.exit_code == 0, r.output
    assert (tmp_path / "graph.html").is_file() and "wrote" in r.output
    r = runner.invoke(
        app, ["html", "--graph", str(ex), "--focus", "ELMo", "-o", str(tmp_path / "f.html")]
    )
    assert r.exit_code == 0, r.output
    parsed = _Page()
    parsed.feed((tmp_path / "f.html").read_text("utf-8"))
    assert len(_data(parsed)["nodes"]) == 3
    r = runner.invoke(app, ["html", "--graph", str(ex), "--focus", "Roberto"])
    assert r.exit_code == 1 and "RoBERTa" in r.output
    r = runner.invoke(app, ["html", "--out", str(tmp_path / "missing")])
    assert r.exit_code == 1 and "extractions.jsonl" in r.output

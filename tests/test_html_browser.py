"""The graph page in a real headless Chromium, network off: drawn, searchable, clickable, inert.

Runs on a small hostile corpus (always) and on the seed build's page (when the seed build
fixture can run). Skips with a reason where /usr/bin/chromium is missing.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from browser import (
    XSS_ENTITY,
    XSS_TITLE,
    chromium,
    click_node,
    open_page,
    require_chromium,
    sample_graph,
    settles,
)

from kg.html import write_html

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser_ctx():
    require_chromium()
    with chromium() as ctx:
        yield ctx


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    g = sample_graph()
    path = write_html(g, tmp_path_factory.mktemp("html") / "sample.html", title="sample")
    return g, path


@pytest.fixture()
def sample_run(browser_ctx, sample):
    run = open_page(browser_ctx, sample[1])
    yield run
    run.page.close()


def _assert_clean(run):
    assert run.errors == [], run.errors
    assert run.dialogs == [], f"a dialog fired: {run.dialogs}"
    assert run.blocked == [], f"the page tried the network: {run.blocked}"
    assert all(u.startswith("file:") for u in run.requests), run.requests


def test_sample_page_draws_every_node_offline(sample, sample_run):
    g, _ = sample
    page = sample_run.page
    drawn = page.evaluate("window.kg.network.body.nodeIndices.length")
    assert drawn == g.number_of_nodes()
    # Each node really has a position on the canvas.
    positions = page.evaluate("Object.keys(window.kg.network.getPositions()).length")
    assert positions == g.number_of_nodes()
    _assert_clean(sample_run)


def test_search_selects_and_centres_a_name_and_an_alias(sample_run):
    page = sample_run.page
    page.fill("#kg-search", "squad")
    page.press("#kg-search", "Enter")
    page.wait_for_function("window.kg.network.getSelectedNodes().length === 1")
    assert page.evaluate("window.kg.network.getSelectedNodes()") == ["entity:squad"]
    assert page.text_content("#kg-panel h2") == "SQuAD"
    # The neighbourhood stays lit, the rest fades (no label): ELMo is two hops away.
    labels = page.evaluate("Object.fromEntries(window.kg.nodes.get().map(n => [n.id, n.label]))")
    assert labels["entity:elmo"] == "" and labels["entity:bert"] == "BERT"
    assert labels["paper:2401.00002"].startswith("RoBERTa")
    page.fill("#kg-search", "nothing-like-this")
    page.press("#kg-search", "Enter")
    assert "No node matches" in page.text_content("#kg-search-msg")
    _assert_clean(sample_run)


def test_clicking_an_entity_shows_papers_and_highlighted_evidence(sample_run):
    page = sample_run.page
    page.wait_for_timeout(100)
    click_node(page, "entity:wikipedia")
    page.wait_for_selector("#kg-panel[data-node='entity:wikipedia']")
    panel = page.text_content("#kg-panel")
    assert "Wikipedia" in panel and "RoBERTa: A Robustly Optimized" in panel
    marks = page.eval_on_selector_all(
        "#kg-panel .kg-evidence mark", "ms => ms.map(m => m.textContent)"
    )
    assert "Wikipedia" in marks
    assert "confidence 0.70" in panel  # the trainedOn relation's confidence
    assert "2019-07-26" in panel and "Meta" in panel
    _assert_clean(sample_run)


def test_xss_title_and_name_are_shown_as_text_and_never_run(sample_run):
    page = sample_run.page
    page.evaluate("window.kg.select('paper:2401.00003', true)")
    heading = page.text_content("#kg-panel h2")
    assert heading == XSS_TITLE
    assert page.query_selector("#kg-panel img") is None
    assert page.query_selector("#kg-panel script") is None
    assert XSS_ENTITY in page.text_content("#kg-panel .kg-abstract")
    # Only our three scripts exist in the document.
    assert page.evaluate("document.scripts.length") == 3
    # A paper's abstract comes with its entities highlighted, each a way to that entity.
    page.evaluate("window.kg.select('paper:2401.00001', true)")
    marks = page.eval_on_selector_all(
        "#kg-panel .kg-abstract mark.kg-ent", "ms => ms.map(m => m.textContent)"
    )
    assert {"BERT", "Wikipedia", "SQuAD", "ELMo", "question answering"} <= set(marks)
    assert "Google" in page.text_content("#kg-panel .kg-meta")
    page.click("#kg-panel .kg-abstract mark.kg-ent >> text=ELMo")
    page.wait_for_selector("#kg-panel[data-node='entity:elmo']")
    # A javascript: URL from the metadata never becomes a link.
    page.evaluate("window.kg.select('paper:2401.00002', true)")
    hrefs = page.eval_on_selector_all("#kg-panel a", "as => as.map(a => a.href)")
    assert not any(h.lower().startswith("javascript") for h in hrefs)
    _assert_clean(sample_run)


def test_paper_panel_shows_code_and_project_links(sample_run):
    """URLs from an abstract: code repository first, then pages; hostile text stays inert."""
    page = sample_run.page
    click_node(page, "paper:2401.00001")
    page.wait_for_selector("#kg-panel[data-node='paper:2401.00001']")
    links = page.eval_on_selector_all(
        "#kg-panel .kg-links li",
        "lis => lis.map(li => [li.querySelector('.kg-linkkind').textContent,"
        " li.querySelector('a').getAttribute('href'), li.querySelector('a').rel])",
    )
    assert links == [
        ["code", "https://github.com/google-research/bert", "noopener noreferrer"],
        ["page", "https://bert.example.org/demo", "noopener noreferrer"],
    ]
    page.screenshot(path=str(Path(tempfile.gettempdir()) / "kg-paper-panel.png"))
    page.evaluate("window.kg.select('paper:2401.00003', true)")
    hrefs = page.eval_on_selector_all("#kg-panel .kg-links a", "as => as.map(a => a.href)")
    assert hrefs == ["https://evil.example/x"]
    assert page.query_selector("#kg-panel img") is None
    _assert_clean(sample_run)


def test_filters_redraw_without_reloading(sample, sample_run):
    page = sample_run.page
    g, _ = sample
    page.evaluate("window.__marker = 1")
    page.uncheck("#kg-types input[value='Paper']")
    papers = sum(1 for _, d in g.nodes(data=True) if d["kind"] == "paper")
    drawn = page.evaluate("window.kg.network.body.nodeIndices.length")
    assert drawn == g.number_of_nodes() - papers
    page.uncheck("#kg-relations input[value='trainedOn']")
    rels = page.evaluate("window.kg.edgesView.get().map(e => e.rel)")
    assert "trainedOn" not in rels and "evaluatedOn" in rels
    page.fill("#kg-minpapers", "3")
    page.dispatch_event("#kg-minpapers", "input")
    ids = page.evaluate("window.kg.nodesView.getIds()")
    assert ids == ["entity:bert", "entity:squad"]
    assert page.evaluate("window.__marker") == 1  # same document: filtered, not rebuilt
    _assert_clean(sample_run)


@pytest.mark.slow
def test_seed_page_offline(browser_ctx, seed_build, seed_graph):
    """The page `kg build seeds/` wrote: all nodes drawn, search and click work, no errors."""
    run = open_page(browser_ctx, seed_build / "graph.html", timeout_ms=60_000)
    page = run.page
    try:
        assert page.evaluate("window.kg.network.body.nodeIndices.length") == (
            seed_graph.number_of_nodes()
        )
        top = max(
            (n for n, d in seed_graph.nodes(data=True) if d["kind"] == "entity"),
            key=lambda n: (seed_graph.nodes[n]["paper_count"], n),
        )
        name = seed_graph.nodes[top]["label"]
        page.fill("#kg-search", name)
        with settles(page):  # the centring animation moves the node under the cursor
            page.press("#kg-search", "Enter")
        page.wait_for_function("window.kg.network.getSelectedNodes().length === 1")
        selected = page.evaluate("window.kg.network.getSelectedNodes()[0]")
        assert seed_graph.nodes[selected]["label"].lower() == name.lower()
        click_node(page, top)
        page.wait_for_selector(f"#kg-panel[data-node='{top}']")
        assert page.query_selector_all("#kg-panel .kg-evidence mark")
        _assert_clean(run)
    finally:
        page.close()

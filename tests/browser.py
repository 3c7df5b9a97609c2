"""Helpers for the HTML page tests: a small hostile corpus and headless Debian Chromium.

The corpus goes through the real resolver and graph builder; its evidence offsets are found in
the text, so they are right by construction. One paper has an XSS title and one entity an
XSS-shaped name: the page must show both as text.
"""

from __future__ import annotations

import contextlib
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx
import pytest

from kg.graph import build_graph
from kg.model import TITLE_SEP, Evidence, ExtractedEntity, ExtractedRelation, Paper, PaperExtraction
from kg.resolve import resolve

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]

XSS_TITLE = "<img src=x onerror=alert(1)> Attacks on </script><script>alert(2)</script> Graphs"
XSS_ENTITY = "Evil<script>alert(3)</script>Net"

#: (id, title, abstract, metadata, entities [(name, type, role)], relations [(h, rel, t)])
_PAPERS = [
    (
        "2401.00001",
        "BERT: Pre-training of Deep Bidirectional Transformers",
        "We introduce BERT, a language model. We train BERT on Wikipedia and evaluate BERT "
        "on SQuAD for question answering. BERT is compared with ELMo. Code is available at "
        "https://github.com/google-research/bert and a demo at https://bert.example.org/demo.",
        {
            "date": "2019-05-24",
            "organisation": "Google",
            "url": "https://arxiv.org/abs/1810.04805",
            "upvotes": 12,
        },
        [
            ("BERT", "Model", "proposed"),
            ("Wikipedia", "Dataset", "used"),
            ("SQuAD", "Dataset", "used"),
            ("question answering", "Task", "used"),
            ("ELMo", "Model", "used"),
        ],
        [
            ("BERT", "trainedOn", "Wikipedia"),
            ("BERT", "evaluatedOn", "SQuAD"),
            ("BERT", "comparedWith", "ELMo"),
        ],
    ),
    (
        "2401.00002",
        "RoBERTa: A Robustly Optimized BERT Pretraining Approach",
        "RoBERTa is based on BERT and trained on Wikipedia. We evaluate RoBERTa on SQuAD "
        "using dynamic masking.",
        {"date": "2019-07-26", "organisation": "Meta", "url": "javascript:alert(4)"},
        [
            ("RoBERTa", "Model", "proposed"),
            ("BERT", "Model", "used"),
            ("Wikipedia", "Dataset", "used"),
            ("SQuAD", "Dataset", "used"),
            ("dynamic masking", "Method", "proposed"),
        ],
        [
            ("RoBERTa", "basedOn", "BERT"),
            ("RoBERTa", "trainedOn", "Wikipedia"),
            ("RoBERTa", "evaluatedOn", "SQuAD"),
        ],
    ),
    (
        "2401.00003",
        XSS_TITLE,
        "We attack BERT with " + XSS_ENTITY + " on SQuAD. See "
        'https://evil.example/x"><img src=x onerror=alert(5)> or javascript:alert(6).',
        {"date": "2024-01-01", "organisation": "<b>Org</b>"},
        [
            (XSS_ENTITY, "Method", "proposed"),
            ("BERT", "Model", "used"),
            ("SQuAD", "Dataset", "used"),
        ],
        [(XSS_ENTITY, "appliedTo", "BERT")],
    ),
]


def _evidence(text: str, needle: str, start_at: int, near: str = "") -> Evidence:
    """Evidence for ``needle`` (a whole word) in ``text``: the sentence around it.

    With ``near``, the sentence is the first one holding both words (a relation's evidence).
    """
    for m in re.finditer(r"(?<!\w)" + re.escape(needle) + r"(?!\w)", text[start_at:]):
        start = start_at + m.start()
        s0 = max(text.rfind(". ", 0, start) + 2, text.rfind(TITLE_SEP, 0, start) + len(TITLE_SEP))
        s1 = text.find(". ", start)
        s1 = len(text) if s1 == -1 else s1 + 1
        if near in text[s0:s1]:
            return Evidence(text[s0:s1], start, start + len(needle), s0)
    raise ValueError(f"{needle!r} not in {text!r}")


def sample_extractions() -> list[PaperExtraction]:
    out = []
    for pid, title, abstract, meta, ents, rels in _PAPERS:
        paper = Paper(
            pid, title, abstract, source="tests/sample.jsonl", line=len(out) + 1, metadata=meta
        )
        text = paper.text
        entities = [
            ExtractedEntity(
                name,
                typ,
                role,
                confidence=0.9,
                mentions=[_evidence(text, name, len(title) + len(TITLE_SEP))],
            )
            for name, typ, role in ents
        ]
        relations = []
        for h, r, t in rels:
            ev = _evidence(text, h, len(title) + len(TITLE_SEP), near=t)
            relations.append(ExtractedRelation(h, r, t, 0.7, ev))
        out.append(PaperExtraction(paper, entities, relations, extractor="test"))
    return out


def sample_graph() -> nx.MultiDiGraph:
    """Three papers (one hostile), through the real resolver and graph builder."""
    return build_graph(resolve(sample_extractions()), extractor="test")


# ---------------------------------------------------------------- browser


def require_chromium() -> Path:
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium not installed at /usr/bin/chromium (apt-get install chromium)")
    pytest.importorskip("playwright.sync_api", reason="python package playwright not installed")
    return CHROMIUM


@dataclass
class PageRun:
    """What happened while a page was open: errors, dialogs and every request attempted."""

    page: object
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)


@contextlib.contextmanager
def chromium(viewport: tuple[int, int] = (1400, 860)) -> Iterator[object]:
    """A headless Debian Chromium browser context (never a downloaded browser build)."""
    require_chromium()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="kg-chromium-") as profile, sync_playwright() as pw:
        ctx = pw.chromium.launch_persistent_context(
            profile,
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": viewport[0], "height": viewport[1]},
        )
        try:
            yield ctx
        finally:
            ctx.close()


def open_page(ctx, path: Path, timeout_ms: int = 30_000) -> PageRun:
    """Load ``path`` with the network off; wait until the graph is drawn.

    Every non-file request is aborted and recorded, as are page errors, console errors and
    dialogs (an ``alert`` from injected script would show up there).
    """
    page = ctx.new_page()
    run = PageRun(page)

    def route(r):
        url = r.request.url
        run.requests.append(url)
        if url.startswith("file:") or url.startswith("data:"):
            r.continue_()
        else:
            run.blocked.append(url)
            r.abort()

    page.route("**/*", route)
    page.on("pageerror", lambda e: run.errors.append(f"pageerror: {e}"))
    page.on(
        "console",
        lambda m: run.errors.append(f"console.{m.type}: {m.text}") if m.type == "error" else None,
    )

    def dialog(d):
        run.dialogs.append(d.message)
        d.dismiss()

    page.on("dialog", dialog)
    page.goto(path.resolve().as_uri())
    page.wait_for_selector("html[data-kg-ready='1']", timeout=timeout_ms)
    return run


@contextlib.contextmanager
def settles(page, timeout_ms: int = 15_000):
    """Wait, after the block, until the view animation the block starts has finished.

    Listens for vis-network's own ``animationFinished`` event: sampling the view position can
    see no frame at all on a loaded machine and call a moving view still.
    """
    page.evaluate(
        """() => {
            window.__kgSettled = false;
            window.kg.network.once('animationFinished', () => { window.__kgSettled = true; });
        }"""
    )
    yield
    page.wait_for_function("() => window.__kgSettled === true", timeout=timeout_ms)


_CLICK_POINT = """id => {
    const net = window.kg.network;
    const c = net.getPositions([id])[id];
    const r = net.body.nodes[id].shape.radius || net.body.nodes[id].options.size || 5;
    const rect = document.querySelector('#kg-network canvas').getBoundingClientRect();
    const ours = (x, y) => net.getNodeAt({x: x, y: y}) === id;
    for (const f of [0, 0.3, 0.5, 0.7, 0.85]) {
        for (let a = 0; a < 16; a++) {
            const p = {x: c.x + f * r * Math.cos(a * Math.PI / 8),
                       y: c.y + f * r * Math.sin(a * Math.PI / 8)};
            const d = net.canvasToDOM(p);
            const x = Math.round(d.x), y = Math.round(d.y);
            if (x < 4 || y < 4 || x > rect.width - 4 || y > rect.height - 4) continue;
            if ([[0, 0], [3, 0], [-3, 0], [0, 3], [0, -3]].every(
                    ([dx, dy]) => ours(x + dx, y + dy))) {
                return [rect.left + x, rect.top + y];
            }
            if (f === 0) break;
        }
    }
    return null;
}"""


def click_node(page, node_id: str) -> None:
    """Click a node where it is drawn on the canvas, as a user would.

    Picks a whole-pixel point inside the node that no other node covers, nor within 3 pixels
    of it (hubs sit under small nodes, and a click lands on a whole pixel), and clicks only
    once that point has stayed put for 200 ms (a view still moving would take the click
    elsewhere). A node covered everywhere is zoomed in on first.
    """
    xy = None
    for _zoom in range(4):
        xy = page.evaluate(_CLICK_POINT, node_id)
        for _ in range(50):
            page.wait_for_timeout(200)
            again = page.evaluate(_CLICK_POINT, node_id)
            if again == xy:
                break
            xy = again
        if xy is not None:
            break
        # every point of a hub is under smaller nodes: zoom in on it, as a user would
        page.evaluate(
            """(id) => { const net = window.kg.network;
                net.moveTo({position: net.getPositions([id])[id], scale: net.getScale() * 2,
                            animation: false}); }""",
            node_id,
        )
    assert xy is not None, f"node {node_id} is not clickable where it is drawn"
    page.mouse.click(xy[0], xy[1])

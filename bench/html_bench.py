"""Benchmark the graph page at ~5,000 nodes: write time, file size, time to drawn and usable.

    python bench/html_bench.py [--extractions output/extractions.jsonl] [--nodes 5000]
    python bench/html_bench.py --page output/graph.html --screenshot docs/screenshot.png \
        --select Transformers

Without --extractions the seeds are built first (real extraction). The seed graph is then
replicated: hub entities (in 3+ papers) are shared by every copy, everything else is copied,
so the big graph keeps the seeds' shape and text. Targets: drawn in < 3 s, file < 15 MB.
The browser is headless Debian Chromium with every non-file request aborted.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # the same Chromium helpers the browser tests use

from browser import chromium, click_node, open_page  # noqa: E402

from kg.html import write_html  # noqa: E402


def seed_graph(extractions: Path | None) -> nx.MultiDiGraph:
    from kg.builder import build, graph_from_extractions

    if extractions is None:
        out = Path(tempfile.mkdtemp(prefix="kg-bench-"))
        t = time.perf_counter()
        build([ROOT / "seeds"], out, workers=1, html=False)
        print(f"seed build (no page)     {time.perf_counter() - t:8.1f} s")
        extractions = out / "extractions.jsonl"
    return graph_from_extractions(extractions)


def replicate(g: nx.MultiDiGraph, target: int) -> nx.MultiDiGraph:
    """Copies of ``g`` sharing its hub entities, trimmed to ``target`` nodes."""
    hubs = {n for n, d in g.nodes(data=True) if d.get("paper_count", 0) >= 3}
    out = nx.MultiDiGraph(**g.graph)
    copy = 0
    while out.number_of_nodes() < target:
        name = {n: n if (n in hubs or copy == 0) else f"{n}~{copy}" for n in g}
        for n, d in g.nodes(data=True):
            if name[n] not in out:
                label = d.get("label", n) if name[n] == n else f"{d.get('label', n)} #{copy + 1}"
                out.add_node(name[n], **{**d, "label": label})
        for u, v, k, d in g.edges(keys=True, data=True):
            out.add_edge(name[u], name[v], key=k, **d)
        copy += 1
    excess = max(0, out.number_of_nodes() - target)
    copied = [n for n in out if "~" in n]  # papers first, then entities: trim from the end
    out.remove_nodes_from(copied[len(copied) - excess :])
    for n, d in out.nodes(data=True):
        if d.get("kind") == "entity":
            d["paper_count"] = sum(
                1 for p in out.predecessors(n) if out.nodes[p]["kind"] == "paper"
            )
    return out


def measure(page_path: Path, runs: int) -> None:
    with chromium() as ctx:
        loads, drawn = [], []
        for i in range(runs):
            t = time.perf_counter()
            run = open_page(ctx, page_path, timeout_ms=120_000)
            loads.append(time.perf_counter() - t)
            drawn.append(run.page.evaluate("window.kgDrawnAt") / 1000)
            assert not run.errors and not run.blocked and not run.dialogs, (run.errors, run.blocked)
            last = run
            if i < runs - 1:
                run.page.close()
        page = last.page
        n = page.evaluate("window.kg.network.body.nodeIndices.length")
        e = page.evaluate("window.kg.network.body.edgeIndices.length")
        print(f"drawn nodes / edges      {n:8d} / {e}")
        print(f"navigation -> drawn      {statistics.median(drawn):8.2f} s (median of {runs})")
        print(f"goto -> drawn (wall)     {statistics.median(loads):8.2f} s (median of {runs})")
        # Interactive: a search, a filter toggle and a click, each timed to the next frame.
        ms = page.evaluate(
            """() => new Promise(done => {
                const t0 = performance.now();
                const id = window.kg.lookup('transformers') || Object.keys(window.kg.details)[0];
                window.kg.select(id, false);
                requestAnimationFrame(() => {
                    const t1 = performance.now();
                    window.kg.state.types.delete('Paper'); window.kg.refresh();
                    requestAnimationFrame(() => {
                        const t2 = performance.now();
                        window.kg.state.types.add('Paper'); window.kg.refresh();
                        requestAnimationFrame(
                            () => done([t1 - t0, t2 - t1, performance.now() - t2]));
                    });
                });
            })"""
        )
        again = page.evaluate(
            """() => new Promise(done => {
                const t0 = performance.now();
                const id = window.kg.lookup('mnist') || Object.keys(window.kg.details)[1];
                window.kg.select(id, false);
                requestAnimationFrame(() => done(performance.now() - t0));
            })"""
        )
        print(f"search -> selected       {ms[0]:8.0f} ms (first: fades the rest of the graph)")
        print(f"next search -> selected  {again:8.0f} ms")
        print(f"filter off / on redraw   {ms[1]:8.0f} / {ms[2]:.0f} ms")
        node = page.evaluate("window.kg.network.getSelectedNodes()[0]")
        page.evaluate("id => window.kg.network.focus(id, {scale: 1.2})", node)
        t = time.perf_counter()
        click_node(page, node)
        page.wait_for_selector(f"#kg-panel[data-node='{node}']")
        print(f"click -> evidence panel  {1000 * (time.perf_counter() - t):8.0f} ms")


def screenshot(page_path: Path, out: Path, select: str | None) -> None:
    with chromium(viewport=(1440, 900)) as ctx:
        run = open_page(ctx, page_path, timeout_ms=120_000)
        page = run.page
        if select:
            page.fill("#kg-search", select)
            page.press("#kg-search", "Enter")
            page.wait_for_function("window.kg.network.getSelectedNodes().length === 1")
            page.evaluate(
                "() => window.kg.network.focus(window.kg.network.getSelectedNodes()[0],"
                " {scale: 1.4})"
            )
            page.wait_for_timeout(700)
        out.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(out))
        assert not run.errors and not run.blocked, (run.errors, run.blocked)
        print(f"screenshot               {out}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--extractions", type=Path, help="a build's extractions.jsonl")
    ap.add_argument("--nodes", type=int, default=5000, help="size of the replicated graph")
    ap.add_argument("--runs", type=int, default=3, help="page loads to take the median of")
    ap.add_argument("--page", type=Path, help="measure (or screenshot) this page instead")
    ap.add_argument("--screenshot", type=Path, help="save a screenshot of the page here")
    ap.add_argument("--select", help="search this name before the screenshot")
    args = ap.parse_args()

    page = args.page
    if page is None:
        g = replicate(seed_graph(args.extractions), args.nodes)
        print(f"graph nodes / edges      {g.number_of_nodes():8d} / {g.number_of_edges()}")
        page = Path(tempfile.mkdtemp(prefix="kg-bench-")) / "graph.html"
        t = time.perf_counter()
        write_html(g, page, title=f"kg bench: {g.number_of_nodes()} nodes")
        print(f"write_html               {time.perf_counter() - t:8.2f} s")
    size = page.stat().st_size / 1e6
    print(f"file size                {size:8.2f} MB  (target < 15 MB)")
    if args.screenshot:
        screenshot(page, args.screenshot, args.select)
    else:
        measure(page, args.runs)


if __name__ == "__main__":
    main()

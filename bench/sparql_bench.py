"""SPARQL benchmark: the example queries on a ~1M-triple graph, Oxigraph store vs rdflib memory.

The graph is synthetic but made of the seed vocabulary: the seed build's papers are copied K
times with fresh ids and spread dates; each copy keeps most of its mentions, swaps some for
other entities of the same type (picked by popularity), and proposes its own new versions of
what the original proposed. Figures printed:

* load time into a persistent Oxigraph store (bulk load of N-Triples) and into rdflib's
  in-memory store; the store's size on disk;
* per example query, the median latency of the whole job (look entity-name parameters up, then
  run the query) through kg's query path on the store (what ``kg query`` runs), through the
  SPARQL endpoint of ``kg serve`` (HTTP, JSON results), and in rdflib's memory store; the
  speed-up of the store over rdflib; rows returned (the same in all three).

Targets (issue 6): every example query under 200 ms on the store; median speed-up >= 10x.

    .venv/bin/python bench/sparql_bench.py [--build output] [--triples 1000000] [--runs 15]
"""

from __future__ import annotations

import argparse
import json
import math
import random
import shutil
import socket
import statistics
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path

import networkx as nx
import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg import query as q  # noqa: E402
from kg import rdf, serve, store  # noqa: E402


def seed_graph(build: Path) -> nx.MultiDiGraph:
    """The seed build's graph (building seeds/ into ``build`` first if it has no build)."""
    from kg.builder import build as run_build
    from kg.builder import graph_from_extractions

    if not (build / "extractions.jsonl").is_file():
        print(f"building {ROOT / 'seeds'} into {build} ...", flush=True)
        run_build([ROOT / "seeds"], build, html=False)
    return graph_from_extractions(build / "extractions.jsonl")


def synthesise(g0: nx.MultiDiGraph, copies: int, rng: random.Random) -> nx.MultiDiGraph:
    """``copies`` variations of the seed graph in one graph (schema of docs/DESIGN.md)."""
    g = nx.MultiDiGraph(**g0.graph)
    entities = {n: d for n, d in g0.nodes(data=True) if d["kind"] == "entity"}
    papers = {n: d for n, d in g0.nodes(data=True) if d["kind"] == "paper"}
    by_type: dict[str, tuple[list[str], list[int]]] = {}
    for t in ("Method", "Model", "Dataset", "Task"):
        ns = [n for n, d in entities.items() if d["type"] == t]
        by_type[t] = (ns, [entities[n]["paper_count"] + 1 for n in ns])
    orgs = sorted(
        {
            d["metadata"]["organisation"]
            for d in papers.values()
            if d["metadata"].get("organisation")
        }
    ) or ["Lab"]
    orgs += [f"Synthetic Lab {i}" for i in range(40)]
    for n, d in entities.items():
        g.add_node(n, **d)

    proposed = {v for u, v, d in g0.edges(data=True) if d["relation"] == "proposes"}
    for k in range(copies):
        suffix = f"~{k}" if k else ""
        renamed: dict[str, str] = {}
        for n in proposed:  # each copy proposes its own versions
            if k:
                d = dict(entities[n])
                new = f"{n}-v{k}"
                d.update(label=f"{d['label']} v{k}", aliases=[f"{a} v{k}" for a in d["aliases"]])
                g.add_node(new, **d)
                renamed[n] = new
        for p, d in papers.items():
            meta = dict(d["metadata"])
            y, m, day = rng.randint(2018, 2025), rng.randint(1, 12), rng.randint(1, 28)
            meta["date"] = f"{y:04d}-{m:02d}-{day:02d}"
            if rng.random() < 0.15:
                meta["organisation"] = rng.choice(orgs)
            g.add_node(p + suffix, **{**d, "metadata": meta, "title": d["title"] + suffix})

        def swap(n: str, renamed: dict[str, str] = renamed, k: int = k) -> str:
            if n in renamed:
                return renamed[n]
            if k and n.startswith("entity:") and rng.random() < 0.3:
                ns, ws = by_type[entities[n]["type"]]
                return rng.choices(ns, ws)[0]
            return n

        for u, v, d in g0.edges(data=True):
            pu = u + suffix if u in papers else swap(u)
            pv = swap(v)
            paper = d["paper"] + suffix if d["paper"] is not None else None
            if pu == pv:
                continue
            g.add_edge(pu, pv, key=f"{d['relation']}@{paper}", **{**d, "paper": paper})
    counts = Counter(v for u, v, d in g.edges(data=True) if d["relation"] in ("proposes", "uses"))
    for n, d in g.nodes(data=True):
        if d["kind"] == "entity":
            d["paper_count"] = counts[n]
    return g


def pick_params(g: nx.MultiDiGraph) -> dict[str, dict[str, str]]:
    """Parameters naming well-connected entities (so every query has work to do)."""

    def top(relation: str, end: int, types: tuple[str, ...]) -> str:
        c = Counter(
            (u, v)[end]
            for u, v, d in g.edges(data=True)
            if d["relation"] == relation and g.nodes[(u, v)[end]].get("type") in types
        )
        for n, _ in c.most_common():
            if g.nodes[n]["label"].isascii():
                return g.nodes[n]["label"]
        return ""

    models = ("Model", "Method", "Dataset", "Task")
    evidenced = Counter()
    for u, v, d in g.edges(data=True):
        ascii_ends = g.nodes[u]["label"].isascii() and g.nodes[v]["label"].isascii()
        if u.startswith("entity:") and d["evidence"] and ascii_ends:
            evidenced[(u, v)] += len(d["evidence"])
    head, tail = evidenced.most_common(1)[0][0]
    return {
        "compared-with": {"model": top("comparedWith", 1, models)},
        "methods-for-task": {"task": top("appliedTo", 1, ("Task",))},
        "builds-on": {"name": top("basedOn", 1, models)},
        "co-occurring-entities": {"name": top("uses", 1, models)},
        "edge-evidence": {"head": g.nodes[head]["label"], "tail": g.nodes[tail]["label"]},
        "entity-papers": {"name": top("uses", 1, models)},
        "dataset-use-over-time": {"dataset": top("uses", 1, ("Dataset",))},
    }


def http_select(url: str, text: str) -> list[dict]:
    body = urllib.parse.urlencode({"query": text}).encode()
    req = urllib.request.Request(
        url,
        data=body,
        headers={
            "Accept": "application/sparql-results+json",
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )
    with urllib.request.urlopen(req, timeout=600) as resp:
        return json.loads(resp.read())["results"]["bindings"]


def http_lookup(url: str):
    """Entity-name lookup through the endpoint (what a remote client of kg would do)."""

    def lookup(name: str, papers: bool) -> list[ox.NamedNode]:
        def run(text: str) -> list[str]:
            return [b["x"]["value"] for b in http_select(url, text)]

        return q.resolve_with(run, name, papers)

    return lookup


def rdflib_lookup(mem):
    """The same lookup in rdflib's memory store."""

    def lookup(name: str, papers: bool) -> list[ox.NamedNode]:
        def run(text: str) -> list[str]:
            return [str(row[0]) for row in mem.query(text)]

        return q.resolve_with(run, name, papers)

    return lookup


def timed(fn, runs: int, budget_s: float = 60.0) -> tuple[float, object]:
    """Median wall time in ms over ``runs`` (fewer if one run takes long), and the last result."""
    times, result = [], None
    fn()  # warm-up
    start = time.perf_counter()
    for _ in range(runs):
        t = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - t) * 1000)
        if time.perf_counter() - start > budget_s:
            break
    return statistics.median(times), result


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def du(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--build", type=Path, default=ROOT / "output", help="seed build folder")
    ap.add_argument("--triples", type=int, default=1_000_000, help="target graph size")
    ap.add_argument("--runs", type=int, default=15, help="timed runs per query (store, HTTP)")
    ap.add_argument("--rdflib-runs", type=int, default=3, help="timed runs per query (rdflib)")
    ap.add_argument("--json", type=Path, help="also write the figures here")
    args = ap.parse_args()

    rng = random.Random(7)
    g0 = seed_graph(args.build)
    per_copy = len(rdf.to_rdf(g0))
    copies = max(1, math.ceil(args.triples / per_copy))
    t = time.perf_counter()
    g = synthesise(g0, copies, rng)
    graph = rdf.to_rdf(g)
    print(
        f"synthetic graph: {copies} copies of the seed build ({per_copy:,} triples each): "
        f"{g.number_of_nodes():,} nodes, {g.number_of_edges():,} edges, {len(graph):,} triples "
        f"(made in {time.perf_counter() - t:.1f} s)",
        flush=True,
    )
    work = Path(tempfile.mkdtemp(prefix="kg-bench-"))
    figures: dict[str, object] = {"triples": len(graph)}
    try:
        nt = rdf.write(graph, work / "graph.nt", "nt")
        del graph

        t = time.perf_counter()
        store.build_store(nt, work / "store")
        figures["oxigraph_load_s"] = time.perf_counter() - t
        figures["store_mb"] = du(work / "store") / 1e6
        t = time.perf_counter()
        from rdflib import Graph

        mem = Graph()
        mem.parse(nt, format="nt")
        figures["rdflib_load_s"] = time.perf_counter() - t
        print(
            f"load: Oxigraph store {figures['oxigraph_load_s']:.1f} s "
            f"({figures['store_mb']:.0f} MB on disk, N-Triples {nt.stat().st_size / 1e6:.0f} MB); "
            f"rdflib memory {figures['rdflib_load_s']:.1f} s",
            flush=True,
        )

        st = store.open_store(work)
        port = free_port()
        proc = serve.start(work, port=port, timeout_s=600)
        url = serve.endpoint_url(port=port)
        params = pick_params(g)
        rows = []
        try:
            for nq in q.list_queries():
                values = params.get(nq.name, {})
                q.prepare(nq.name, values, st)  # fails early if a parameter names nothing

                # Each engine does the whole job: look entity names up, then run the query.
                def on_store(name=nq.name, values=values):
                    # What `kg query NAME --param ...` runs, on the persistent store.
                    final, _ = q.prepare(name, values, st)
                    return len(list(q.execute(st, final)))

                def on_http(nq=nq, values=values):
                    final = q.with_values(nq.text, q.bind(nq, values, lookup=http_lookup(url)))
                    return len(http_select(url, final))

                def on_rdflib(nq=nq, values=values):
                    final = q.with_values(nq.text, q.bind(nq, values, lookup=rdflib_lookup(mem)))
                    return len(list(mem.query(final)))

                ms_store, n_store = timed(on_store, args.runs)
                ms_http, n_http = timed(on_http, args.runs)
                ms_rdflib, n_rdflib = timed(on_rdflib, args.rdflib_runs, budget_s=120)
                rows.append(
                    {
                        "query": nq.name,
                        "rows": n_store,
                        "store_ms": ms_store,
                        "endpoint_ms": ms_http,
                        "rdflib_ms": ms_rdflib,
                        "speedup": ms_rdflib / ms_store if ms_store else float("inf"),
                        "same_rows": n_store == n_http == n_rdflib,
                    }
                )
                r = rows[-1]
                print(
                    f"  {nq.name:26} {r['store_ms']:8.1f} ms store {r['endpoint_ms']:8.1f} ms http "
                    f"{r['rdflib_ms']:10.1f} ms rdflib  x{r['speedup']:.0f}  rows {n_store}"
                    + ("" if r["same_rows"] else f" (http {n_http}, rdflib {n_rdflib}!)"),
                    flush=True,
                )
        finally:
            serve.stop(proc)
        figures["queries"] = rows
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print()
    print("| query | rows | store (kg query) ms | endpoint ms | rdflib memory ms | speed-up |")
    print("|---|---:|---:|---:|---:|---:|")
    for r in rows:
        print(
            f"| {r['query']} | {r['rows']} | {r['store_ms']:.1f} | {r['endpoint_ms']:.1f} | "
            f"{r['rdflib_ms']:.0f} | {r['speedup']:.0f}x |"
        )
    worst = max(rows, key=lambda r: r["store_ms"])
    median_speedup = statistics.median(r["speedup"] for r in rows)
    figures["max_store_ms"] = worst["store_ms"]
    figures["median_speedup"] = median_speedup
    print()
    print(
        f"{figures['triples']:,} triples; Oxigraph load {figures['oxigraph_load_s']:.1f} s, "
        f"store {figures['store_mb']:.0f} MB; rdflib load {figures['rdflib_load_s']:.1f} s"
    )
    print(
        f"slowest query on the store: {worst['query']} {worst['store_ms']:.1f} ms "
        f"(target < 200 ms: {'met' if worst['store_ms'] < 200 else 'NOT met'}); "
        f"median speed-up over rdflib x{median_speedup:.0f} "
        f"(target >= 10x: {'met' if median_speedup >= 10 else 'NOT met'})"
    )
    if not all(r["same_rows"] for r in rows):
        print("WARNING: some queries returned different row counts across engines")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

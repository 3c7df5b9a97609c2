"""Every named query on the seed build: non-empty, and checked against the networkx graph.

Expected answers are computed in Python from the graph kg.graph builds (``seed_graph``), not
with SPARQL, so a wrong query or a wrong RDF mapping shows up as a mismatch.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

import pytest

from kg import query as q
from kg import rdf, store

ENTITY_TYPES = ("Method", "Model", "Dataset", "Task")


@pytest.fixture(scope="module")
def st(seed_build):
    return store.open_store(seed_build)


def run(st, query_name: str, **params: str) -> list[dict]:
    text, _ = q.prepare(query_name, params, st)
    res = q.execute(st, text)
    names = [v.value for v in res.variables]
    return [{n: q.term_value(r[n]) for n in names} for r in res]


def key_of(iri: str) -> str:
    kind, value = rdf.unmint(iri)
    return f"{kind}:{value}"


# ----------------------------------------------------------------------------- graph facts


def entities(g, *types):
    return {n: d for n, d in g.nodes(data=True) if d["kind"] == "entity" and d["type"] in types}


def names_of(d) -> set[str]:
    return {d["label"].lower(), *(a.lower() for a in d.get("aliases") or [])}


def matching(g, name: str, papers: bool = False) -> set[str]:
    """Nodes an ``entity`` parameter resolves to: entities whose label, alias or key (or papers
    whose id; with ``papers`` also title) is spelled exactly ``name``, else the same ignoring
    case (kg.query.resolve_entity)."""
    exact, folded = set(), set()
    for n, d in g.nodes(data=True):
        kind, ident = n.split(":", 1)
        if kind == "entity":
            keys = {d["label"], *(d.get("aliases") or []), ident}
        else:
            keys = {ident, d["title"]} if papers else {ident}
        if name in keys:
            exact.add(n)
        if name.lower() in {k.lower() for k in keys}:
            folded.add(n)
    return exact or folded


def rel_edges(g, relation):
    return [(u, v, d) for u, v, d in g.edges(data=True) if d["relation"] == relation]


def ascii_label(g, n) -> bool:
    return g.nodes[n]["label"].isascii()


def pick(counts: Counter, g, what: str) -> str:
    """The best-connected node with an ASCII label (so SPARQL LCASE and str.lower agree)."""
    for n, _ in counts.most_common():
        if ascii_label(g, n):
            return n
    pytest.fail(f"the seed graph has no {what}: extraction produced none")


def top_counts(counter: Counter, k: int) -> list[int]:
    return sorted(counter.values(), reverse=True)[:k]


# ----------------------------------------------------------------------------- checks


def check_datasets_most_used(st, g):
    users = defaultdict(set)
    for u, v, _ in rel_edges(g, "uses"):
        if g.nodes[v]["type"] == "Dataset":
            users[v].add(u)
    expected = Counter({v: len(ps) for v, ps in users.items()})
    rows = run(st, "datasets-most-used")
    assert rows
    assert [r["papers"] for r in rows] == top_counts(expected, 20)
    for r in rows:
        assert expected[key_of(r["dataset"])] == r["papers"]


def check_compared_with(st, g):
    degree = Counter()
    for u, v, _ in rel_edges(g, "comparedWith"):
        degree[u] += 1
        degree[v] += 1
    model = pick(degree, g, "comparedWith edge")
    name = g.nodes[model]["label"]
    papers = defaultdict(set)
    for m in matching(g, name):
        for u, v, d in rel_edges(g, "comparedWith"):
            if m in (u, v):
                other = v if u == m else u
                if other != m:
                    papers[other].add(d["paper"])
    rows = run(st, "compared-with", model=name)
    assert rows
    assert {key_of(r["other"]): r["papers"] for r in rows} == {
        o: len(ps) for o, ps in papers.items()
    }


def check_methods_for_task(st, g):
    incoming = Counter()
    for u, v, _ in rel_edges(g, "appliedTo"):
        if g.nodes[v]["type"] == "Task" and g.nodes[u]["type"] in ("Method", "Model"):
            incoming[v] += 1
    task = pick(incoming, g, "appliedTo edge from a method or model to a task")
    name = g.nodes[task]["label"]
    tasks = {t for t in matching(g, name) if g.nodes[t]["type"] == "Task"}
    papers = defaultdict(set)
    for u, v, d in rel_edges(g, "appliedTo"):
        if v in tasks and g.nodes[u]["type"] in ("Method", "Model"):
            papers[u].add(d["paper"])
    rows = run(st, "methods-for-task", task=name)
    assert rows
    assert {key_of(r["method"]): r["papers"] for r in rows} == {
        m: len(ps) for m, ps in papers.items()
    }


def check_builds_on(st, g):
    proposed = defaultdict(set)  # entity -> papers proposing it
    for u, v, _ in rel_edges(g, "proposes"):
        proposed[v].add(u)
    based = defaultdict(set)  # base -> entities directly based on it
    for u, v, _ in rel_edges(g, "basedOn"):
        based[v].add(u)
    candidates = Counter({v: 1 for v, us in based.items() if any(u in proposed for u in us)})
    x = pick(candidates, g, "proposed entity based on another")
    name = g.nodes[x]["label"]
    variants = defaultdict(set)
    for u, v, _ in rel_edges(g, "variantOf"):
        variants[v].add(u)

    def closure(starts, step):
        seen, todo = set(starts), list(starts)
        while todo:
            for nxt in step[todo.pop()]:
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        return seen

    bases = closure(matching(g, name), variants)
    expected = set()
    for b in bases:
        for e in closure(based[b], based):
            for p in proposed[e]:
                expected.add((p, e, b))
    rows = run(st, "builds-on", name=name)
    assert rows
    got = {(key_of(r["paper"]), key_of(r["proposed"]), key_of(r["base"])) for r in rows}
    assert got == expected


def check_co_occurring(st, g):
    by_paper = defaultdict(set)
    for u, v, d in g.edges(data=True):
        if d["relation"] in ("proposes", "uses"):
            by_paper[u].add(v)
    counts = Counter({n: d["paper_count"] for n, d in entities(g, *ENTITY_TYPES).items()})
    x = pick(counts, g, "entity")
    name = g.nodes[x]["label"]
    papers = defaultdict(set)
    for m in matching(g, name):
        for p, ents in by_paper.items():
            if m in ents:
                for other in ents - {m}:
                    papers[other].add(p)
    expected = Counter({o: len(ps) for o, ps in papers.items()})
    rows = run(st, "co-occurring-entities", name=name)
    assert rows
    assert [r["papers"] for r in rows] == top_counts(expected, 25)
    for r in rows:
        assert expected[key_of(r["other"])] == r["papers"]


def check_edge_evidence(st, g):
    counts = Counter()
    for u, v, d in g.edges(data=True):
        if u.startswith("entity:") and d["evidence"] and ascii_label(g, v):
            counts[(u, v)] += len(d["evidence"])
    (u, v) = next((e for e, _ in counts.most_common() if ascii_label(g, e[0])), (None, None))
    assert u, "no entity-entity edge with evidence in the seed graph"
    head, tail = g.nodes[u]["label"], g.nodes[v]["label"]
    heads, tails = matching(g, head, papers=True), matching(g, tail)
    expected = {
        (d["relation"], ev.sentence)
        for a, b, d in g.edges(data=True)
        if a in heads and b in tails
        for ev in d["evidence"]
    }
    rows = run(st, "edge-evidence", head=head, tail=tail)
    assert rows
    assert {(r["relation"].rsplit("#", 1)[1], r["sentence"]) for r in rows} == expected
    for r in rows:
        assert r["exact"] in r["sentence"] and 0 <= r["start"] <= r["end"]
        assert 0 <= r["confidence"] <= 1


def check_papers_per_organisation(st, g):
    expected = Counter(
        d["metadata"]["organisation"].strip()
        for _, d in g.nodes(data=True)
        if d["kind"] == "paper" and (d.get("metadata") or {}).get("organisation", "").strip()
    )
    rows = run(st, "papers-per-organisation")
    assert rows
    assert {r["organisation"]: r["papers"] for r in rows} == dict(expected)


def _month(g, paper: str) -> str | None:
    date = (g.nodes[paper].get("metadata") or {}).get("date") or ""
    m = re.match(r"(\d{4}-\d{2})-\d{2}", str(date))
    return m.group(1) if m else None


def check_dataset_use_over_time(st, g):
    papers = defaultdict(set)
    for u, v, _ in rel_edges(g, "uses"):
        if g.nodes[v]["type"] == "Dataset" and _month(g, u):
            papers[(_month(g, u), v)].add(u)
    rows = run(st, "dataset-use-over-time")
    assert rows
    got = {(r["month"], key_of(r["d"])): r["papers"] for r in rows}
    assert got == {k: len(ps) for k, ps in papers.items()}
    month, d = next(iter(sorted(papers)))
    one = run(st, "dataset-use-over-time", dataset=g.nodes[d]["label"])
    assert (month, d) in {(r["month"], key_of(r["d"])) for r in one}
    assert {key_of(r["d"]) for r in one} <= matching(g, g.nodes[d]["label"])


def check_most_aliases(st, g):
    expected = Counter(
        {
            n: len({a for a in d["aliases"] if a != d["label"]})
            for n, d in entities(g, *ENTITY_TYPES).items()
            if any(a != d["label"] for a in d["aliases"])
        }
    )
    rows = run(st, "most-aliases")
    assert rows
    assert [r["aliases"] for r in rows] == top_counts(expected, 20)
    for r in rows:
        assert expected[key_of(r["entity"])] == r["aliases"]
        assert len(r["forms"].split(" | ")) == r["aliases"]


def check_new_models_per_month(st, g):
    first: dict[str, str] = {}
    for u, v, _ in rel_edges(g, "proposes"):
        m = _month(g, u)
        if m and g.nodes[v]["type"] == "Model":
            first[v] = min(first.get(v, m), m)
    rows = run(st, "new-models-per-month")
    assert rows
    assert {r["month"]: r["models"] for r in rows} == dict(Counter(first.values()))


def check_entity_papers(st, g):
    counts = Counter({n: d["paper_count"] for n, d in entities(g, *ENTITY_TYPES).items()})
    e = pick(counts, g, "entity")
    name = g.nodes[e]["label"]
    ms = matching(g, name)
    expected = {
        (u, d["relation"]) for u, v, d in g.edges(data=True) if v in ms and u.startswith("paper:")
    }
    rows = run(st, "entity-papers", name=name)
    assert rows
    assert {(key_of(r["paper"]), r["role"].rsplit("#", 1)[1]) for r in rows} == expected


def check_most_built_upon(st, g):
    derived = defaultdict(set)
    for u, v, _ in rel_edges(g, "basedOn"):
        derived[v].add(u)
    expected = Counter({v: len(us) for v, us in derived.items()})
    rows = run(st, "most-built-upon")
    assert rows
    assert [r["derivatives"] for r in rows] == top_counts(expected, 20)


def check_relations_summary(st, g):
    # One assertion per distinct (head, relation, tail, paper), however many edges say it.
    facts = {(d["relation"], u, v, d["paper"]) for u, v, d in g.edges(data=True)}
    expected = Counter(rel for rel, *_ in facts)
    rows = run(st, "relations-summary")
    assert rows
    got = {r["relation"].rsplit("#", 1)[1]: r["assertions"] for r in rows}
    assert got == dict(expected)


def check_papers_with_code(st, g):
    expected = {}
    for n, d in g.nodes(data=True):
        if d["kind"] != "paper":
            continue
        proposed = sorted(
            g.nodes[v]["label"]
            for _, v, e in g.out_edges(n, data=True)
            if e["relation"] == "proposes"
        )
        for link in d["links"]:
            if link["kind"] == "code":
                expected[(n, link["url"])] = (d["title"], proposed)
    rows = run(st, "papers-with-code")
    assert rows
    got = {
        (key_of(r["paper"]), r["code"]): (
            r["title"],
            sorted(filter(None, (r["proposes"] or "").split(", "))),
        )
        for r in rows
    }
    assert got == expected


CHECKS = {
    "papers-with-code": check_papers_with_code,
    "datasets-most-used": check_datasets_most_used,
    "compared-with": check_compared_with,
    "methods-for-task": check_methods_for_task,
    "builds-on": check_builds_on,
    "co-occurring-entities": check_co_occurring,
    "edge-evidence": check_edge_evidence,
    "papers-per-organisation": check_papers_per_organisation,
    "dataset-use-over-time": check_dataset_use_over_time,
    "most-aliases": check_most_aliases,
    "new-models-per-month": check_new_models_per_month,
    "entity-papers": check_entity_papers,
    "most-built-upon": check_most_built_upon,
    "relations-summary": check_relations_summary,
}


def test_every_named_query_has_a_check():
    assert set(CHECKS) == {nq.name for nq in q.list_queries()}


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(CHECKS))
def test_named_query_on_seeds(st, seed_graph, name):
    CHECKS[name](st, seed_graph)


@pytest.mark.slow
def test_seed_build_store_matches_its_ntriples(seed_build):
    lines = (seed_build / "graph.nt").read_text(encoding="utf-8").splitlines()
    n_lines = sum(1 for line in lines if line.strip())
    assert store.count_triples(store.open_store(seed_build)) == n_lines

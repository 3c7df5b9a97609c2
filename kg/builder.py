"""One build: inputs -> papers -> cached/parallel extraction -> resolution -> graph -> outputs.

The CLI's ``kg build`` is a thin face over :func:`build`. Outputs are written atomically, so a
failed build leaves the previous one intact.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import hashlib
import itertools
import json
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx

from kg.cache import Changes, ExtractionCache
from kg.graph import (
    build_graph,
    built_stamp,
    entity_attrs,
    entity_node,
    index_summary,
    mention_edge,
    page_graph,
    paper_attrs,
    relation_edge,
    variant_edges,
)
from kg.io import OutputError, atomic_write
from kg.model import Paper, PaperExtraction, PaperNames
from kg.resolve import NameIndex, paper_links, resolve, resolve_names

DEFAULT_OUT = Path("output")
CACHE_NAME = "cache.sqlite"
#: What a build decided and why: listings merged at ingest, short forms left split.
REPORT_NAME = "build-report.json"


@dataclass
class BuildReport:
    """What a build did, for the summary a user reads and for tests."""

    papers: int
    listings: int
    changes: Changes
    extracted: int
    summary: dict[str, object]
    outputs: dict[str, Path]
    problems: list = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    extractor: str = ""
    #: Papers whose RDF was copied from the previous build rather than rendered again.
    reused: int = 0
    notes: list[str] = field(default_factory=list)
    #: Listings merged into earlier papers at ingest (``kg.ingest.Merge``), each with its reason.
    merges: list = field(default_factory=list)
    #: Resolution's decisions on short forms whose evidence disagreed (``kg.resolve.Decision``).
    decisions: list = field(default_factory=list)

    def headline(self) -> str:
        """One line: papers, what changed since the last build, what was done anew."""
        ch = self.changes
        return (
            f"{self.papers} papers from {self.listings} listings; "
            f"{len(ch.new)} new, {len(ch.changed)} changed, {len(ch.removed)} removed, "
            f"{ch.unchanged} unchanged; extracted {self.extracted}; "
            f"RDF of {self.reused} papers reused"
        )

    def timing(self) -> str:
        """Where the time went, by stage."""
        tm = self.timings
        page = f" of which page {tm['page']:.1f}s" if "page" in tm else ""
        return (
            f"time: {tm['total']:.1f}s (ingest {tm['ingest']:.1f}s, extract {tm['extract']:.1f}s,"
            f" resolve {tm['resolve']:.1f}s, write {tm['write']:.1f}s{page})"
        )

    def __str__(self) -> str:
        s: dict[str, Any] = self.summary

        def counts(by: dict[str, int]) -> str:
            return ", ".join(f"{k} {v}" for k, v in by.items())

        return "\n".join(
            [
                self.headline(),
                *(f"note: {n}" for n in self.notes),
                f"entities: {s['entities']} ({counts(s['entities_by_type'])})",
                f"edges: {s['edges']} ({counts(s['edges_by_relation'])})",
                self.timing(),
            ]
        )

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """How IPython and Jupyter show a report: the summary ``kg build`` prints."""
        printer.text(str(self))


ProgressFn = Callable[[int, int], None]


def _extract(
    extractor,
    papers: list[Paper],
    workers: int,
    dask_address: str | None,
    model: str,
    learned: str | None,
) -> Iterator[PaperExtraction]:
    if dask_address:
        from kg.distributed import extract_on_dask

        yield from extract_on_dask(papers, dask_address, model=model, learned=learned)
    else:
        yield from extractor.extract(papers, n_process=max(1, workers))


def build(
    inputs: Sequence[str | Path],
    out_dir: str | Path = DEFAULT_OUT,
    *,
    model: str = "auto",
    learned: str | None = "default",
    workers: int = 1,
    strict: bool = False,
    base: str | None = None,
    html: bool = True,
    dask_address: str | None = None,
    progress: ProgressFn | None = None,
) -> BuildReport:
    """Build the graph of ``inputs`` into ``out_dir`` and report what happened."""
    from kg import rdf
    from kg.extract import Extractor
    from kg.ingest import read_inputs

    if base:
        rdf.check_base(base)  # fail before the long part, not after it
    base = base or rdf.DEFAULT_BASE
    out = Path(out_dir)
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    ingested = read_inputs(list(inputs), strict=strict)
    papers = sorted(ingested.papers, key=lambda p: p.id)
    timings["ingest"] = time.perf_counter() - t0

    t = time.perf_counter()
    extractor = Extractor(model=model, learned=learned)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot write {out}: {exc.strerror or exc}") from exc
    with ExtractionCache(out / CACHE_NAME) as cache:
        changes = cache.changes(papers)
        todo = cache.missing(papers, extractor.version)
        done = 0
        batch: list[PaperExtraction] = []
        for pe in _extract(extractor, todo, workers, dask_address, model, learned):
            batch.append(pe)
            if len(batch) >= 256:
                done += cache.put(batch, extractor.version)
                batch.clear()
                if progress:
                    progress(done, len(todo))
        done += cache.put(batch, extractor.version)
        if progress:
            progress(done, len(todo))
        timings["extract"] = time.perf_counter() - t

        with _gc_paused():
            t = time.perf_counter()
            records = cache.names(papers, extractor.version)
            # cached names were cleaned by to_extraction of this very extractor version
            index = resolve_names(records, clean=False)
            stats = index_summary(index, len(papers))
            timings["resolve"] = time.perf_counter() - t

            t = time.perf_counter()
            outputs, reused, note = _write(
                cache, out, papers, records, index, extractor.version, base, html, timings
            )
            timings["write"] = time.perf_counter() - t
        cache.set_manifest(papers)
        cache.prune(extractor.version)
    outputs["report"] = _write_report(out / REPORT_NAME, ingested, index)

    timings["total"] = time.perf_counter() - t0
    return BuildReport(
        papers=len(papers),
        listings=int(ingested.stats.get("records", len(papers))),
        changes=changes,
        extracted=done,
        summary=stats,
        outputs=outputs,
        problems=list(ingested.problems),
        timings=timings,
        extractor=extractor.version,
        reused=reused,
        notes=[note] if note else [],
        merges=list(ingested.merges),
        decisions=list(index.decisions),
    )


def _write_report(path: Path, ingested, index: NameIndex) -> Path:
    """``build-report.json``: every listing merged at ingest and every short form resolution
    left split (or merged against a minority), with the evidence, for a user to check."""
    report = {
        "paper_merges": [m.to_dict() for m in ingested.merges],
        "name_decisions": [d.to_dict() for d in index.decisions],
        "problems": [
            {"path": p.path, "line": p.line, "message": p.message, "fatal": p.fatal}
            for p in ingested.problems
        ],
    }
    with atomic_write(path) as fh:
        json.dump(report, fh, ensure_ascii=False, indent=1)
        fh.write("\n")
    return path


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector: resolution and writing make millions of small
    acyclic objects, and each collection rescans them all (it more than doubles the time of a
    re-build of 100,000 papers). Reference counting still frees everything they drop."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _write(
    cache: ExtractionCache,
    out: Path,
    papers: list[Paper],
    records: list[PaperNames],
    index: NameIndex,
    extractor: str,
    base: str,
    html: bool,
    timings: dict[str, float],
) -> tuple[dict[str, Path], int, str]:
    """Every output, each paper's RDF rendered anew only if its part key changed.

    Returns the outputs, how many papers' parts were reused, and a note for the user; the
    page's share of the time goes into ``timings["page"]``.
    """
    from kg import rdf
    from kg.outputs import Assembler, load_previous, render

    previous = load_previous(cache.db, out)
    writer = writer_version()
    built = built_stamp()

    def head(sink) -> None:
        rdf.emit_dataset(sink, base, extractor, built)
        entities = [(entity_node(k), entity_attrs(e)) for k, e in sorted(index.entities.items())]
        links = [
            (entity_node(h), entity_node(t), {"relation": r, "paper": pid})
            for h, r, t, pid in index.relations
        ]
        links += [(u, v, d) for u, v, _, d in variant_edges(index.entities)]
        rdf.emit_entities(sink, base, entities, links)

    reused = 0
    with Assembler(out, previous, base=base) as asm:
        asm.add_head(render(head, base))
        for paper, rec in zip(papers, records, strict=True):
            key = part_key(paper, index.names_of(rec.entities), extractor, base, writer)
            if asm.reusable(paper.id, key):
                asm.add(paper.id, key, None)
                reused += 1
                continue
            pe = cache.get(paper, extractor)
            if pe is None:
                raise KeyError(f"no cached extraction for paper {paper.id}")
            asm.add(paper.id, key, _paper_part(pe, index, base))
        asm.finish()
        page = None
        if html:
            started = time.perf_counter()
            page = _write_page(cache, papers, index, extractor, built, out)
            timings["page"] = time.perf_counter() - started
        outputs = asm.commit(cache.db)
    outputs = {"extractions": outputs.pop("jsonl"), **outputs}
    if page is not None:
        outputs["html"] = page
    return outputs, reused, asm.note


def _paper_part(pe: PaperExtraction, index: NameIndex, base: str):
    """One paper's RDF and extraction line, in every output format."""
    from kg import rdf
    from kg.outputs import render

    mentions, relations = paper_links(pe, index)
    edges = [
        (u, v, d)
        for u, v, _, d in itertools.chain(
            map(mention_edge, mentions), map(relation_edge, relations)
        )
    ]
    attrs = paper_attrs(pe.paper)

    def fill(sink) -> None:
        rdf.emit_paper(sink, base, pe.paper.id, attrs, edges)

    return render(fill, base, jsonl=(pe.to_json() + "\n").encode("utf-8"))


def part_key(paper: Paper, names: dict[str, str], extractor: str, base: str, writer: str) -> str:
    """Everything a paper's part depends on: the paper record, the extraction (by content and
    extractor version), the keys its names resolve to, the base IRI and the writing code."""
    data = [
        writer,
        extractor,
        base,
        paper.id,
        paper.content_hash,
        paper.source,
        paper.line,
        paper.metadata,
        sorted(names.items()),
    ]
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:32]


@functools.cache
def writer_version() -> str:
    """A hash of the code that turns extractions into outputs: a new release renders anew."""
    import pyoxigraph
    import rdflib

    h = hashlib.sha256(f"{rdflib.__version__} {pyoxigraph.__version__}".encode())
    here = Path(__file__).resolve().parent
    for name in (
        "model.py",
        "resolve.py",
        "graph.py",
        "links.py",
        "rdf.py",
        "namespaces.py",
        "outputs.py",
    ):
        h.update((here / name).read_bytes())
    return h.hexdigest()[:16]


#: Above this many nodes the build's page shows the best-connected ones (``kg html`` draws any
#: part of the graph: ``--focus NAME --hops N`` or ``--max-nodes N``).
HTML_MAX_NODES = 5000


def _write_page(
    cache: ExtractionCache,
    papers: list[Paper],
    index: NameIndex,
    extractor: str,
    built: str,
    out: Path,
) -> Path:
    """graph.html: the best-connected ``HTML_MAX_NODES`` nodes, drawn from the name index and
    the extractions of the papers the page shows (:func:`kg.graph.page_graph`), never the
    whole graph, so a re-build's page costs what the page holds, not what the corpus holds."""
    from kg.html import write_html
    from kg.html.payload import MAX_EVIDENCE

    def extraction(paper: Paper) -> PaperExtraction:
        pe = cache.get(paper, extractor)
        if pe is None:
            raise KeyError(f"no cached extraction for paper {paper.id}")
        return pe

    g, whole = page_graph(index, papers, extraction, HTML_MAX_NODES, MAX_EVIDENCE, extractor)
    g.graph["built"] = built
    return write_html(g, out / "graph.html", title=PAGE_TITLE, whole=whole)


PAGE_TITLE = "kg: ML literature graph"


def load_extractions(path: str | Path) -> list[PaperExtraction]:
    """Read ``extractions.jsonl`` back (what ``kg html`` and tests rebuild graphs from).

    A damaged line raises ``ValueError`` naming the file and line.
    """
    import json

    out = []
    with open(path, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                out.append(PaperExtraction.from_dict(json.loads(line)))
            except (ValueError, KeyError, TypeError) as exc:
                raise ValueError(f"{path}:{lineno}: not a kg extraction record ({exc})") from exc
    return out


def graph_from_extractions(path: str | Path) -> nx.MultiDiGraph:
    exs = load_extractions(path)
    extractor = exs[0].extractor if exs else ""
    return build_graph(resolve(exs), extractor=extractor)

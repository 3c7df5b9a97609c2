"""One build: inputs -> papers -> cached/parallel extraction -> resolution -> graph -> outputs.

The CLI's ``kg build`` is a thin face over :func:`build`. Outputs are written atomically, so a
failed build leaves the previous one intact.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx

from kg.cache import Changes, ExtractionCache
from kg.graph import build_graph, summary
from kg.io import OutputError, atomic_write
from kg.model import Paper, PaperExtraction
from kg.resolve import resolve

DEFAULT_OUT = Path("output")
CACHE_NAME = "cache.sqlite"


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


ProgressFn = Callable[[int, int], None]


def _extract(
    extractor,
    papers: list[Paper],
    workers: int,
    dask_address: str | None,
    model: str,
) -> Iterator[PaperExtraction]:
    if dask_address:
        from kg.distributed import extract_on_dask

        yield from extract_on_dask(papers, dask_address, model=model)
    else:
        yield from extractor.extract(papers, n_process=max(1, workers))


def build(
    inputs: Sequence[str | Path],
    out_dir: str | Path = DEFAULT_OUT,
    *,
    model: str = "en_core_web_sm",
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
    out = Path(out_dir)
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    ingested = read_inputs(list(inputs), strict=strict)
    papers = sorted(ingested.papers, key=lambda p: p.id)
    timings["ingest"] = time.perf_counter() - t0

    t = time.perf_counter()
    extractor = Extractor(model=model)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot write {out}: {exc.strerror or exc}") from exc
    with ExtractionCache(out / CACHE_NAME) as cache:
        changes = cache.changes(papers)
        todo = cache.missing(papers, extractor.version)
        done = 0
        batch: list[PaperExtraction] = []
        for pe in _extract(extractor, todo, workers, dask_address, model):
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

        t = time.perf_counter()
        extractions = list(cache.iter_get(papers, extractor.version))
        g = build_graph(resolve(extractions), extractor=extractor.version)
        timings["resolve"] = time.perf_counter() - t

        t = time.perf_counter()
        outputs = {"extractions": write_extractions(extractions, out / "extractions.jsonl")}
        del extractions
        if html:
            outputs["html"] = _write_page(g, out / "graph.html")
        stats = summary(g)
        kwargs = {"base": base} if base else {}
        outputs["nt"], count = rdf.write_ntriples(g, out, **kwargs)
        del g  # the store's bulk load below wants the memory more than we do
        gc.collect()
        outputs.update(rdf.write_derived(out, count, **kwargs))
        timings["write"] = time.perf_counter() - t
        cache.set_manifest(papers)
        cache.prune(extractor.version)

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
    )


def write_extractions(extractions: Sequence[PaperExtraction], path: Path) -> Path:
    with atomic_write(path) as fh:
        for pe in extractions:
            fh.write(pe.to_json() + "\n")
    return path


#: Above this many nodes the build's page shows the best-connected ones (``kg html`` draws any
#: part of the graph: ``--focus NAME --hops N`` or ``--max-nodes N``).
HTML_MAX_NODES = 5000


def _write_page(g: nx.MultiDiGraph, path: Path) -> Path:
    from kg.html import write_html

    cap = HTML_MAX_NODES if g.number_of_nodes() > HTML_MAX_NODES else None
    return write_html(g, path, title="kg: ML literature graph", max_nodes=cap)


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

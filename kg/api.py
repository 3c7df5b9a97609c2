"""kg from Python: build a graph, open it, query it, explain an entity, hand it to networkx.

::

    import kg
    report = kg.build(["seeds"], out="output")   # what `kg build` does; returns its report
    g = kg.open("output")                        # a built graph (its Oxigraph store)
    rows = g.query("datasets-most-used")         # a named query, a .rq path or SPARQL text
    df = rows.to_pandas()                        # needs pandas
    G = g.to_networkx()                          # the graph `kg export` writes, as networkx
    g.explain("Chinchilla")                      # what `kg explain` shows, as data

The CLI is a face over these functions. This module imports nothing heavy: each function loads
what it needs when called (spaCy only when a build extracts), so ``import kg`` stays fast.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import networkx as nx
    import pyoxigraph

    from kg.builder import BuildReport
    from kg.explain import EntityReport
    from kg.query import NamedQuery, Rows

PathLike = str | os.PathLike[str]

__all__ = ["KnowledgeGraph", "build", "open", "queries"]


def build(
    inputs: PathLike | Sequence[PathLike] = "seeds",
    out: PathLike = "output",
    *,
    model: str = "auto",
    learned: str | None = "default",
    workers: int = 1,
    strict: bool = False,
    base: str | None = None,
    html: bool = True,
    dask: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> BuildReport:
    """Build the graph of ``inputs`` (files or folders) into the folder ``out``: ``kg build``.

    A re-build into the same folder does only the new work (see the README). ``model`` is a
    spaCy pipeline name or ``"blank"`` (rules only, fastest); ``learned`` the trained model that
    decides with a tagged pipeline (a name under ``kg/models``, a folder, or None for the rules
    alone); ``workers`` extraction processes;
    ``strict`` stops at the first bad record instead of skipping it; ``base`` is the base IRI of
    papers and entities; ``html=False`` skips the page; ``dask`` runs extraction on a Dask
    cluster at that address (``"local"`` starts one); ``progress(done, total)`` is called as
    papers are extracted.

    Returns the build's report: ``.summary`` (entities by type, edges by relation),
    ``.outputs`` (file paths), ``.problems`` (bad records, skipped), ``.timings``. Raises
    ``FileNotFoundError`` for a missing input, ``ValueError`` for a bad record under ``strict``
    or a bad ``base``, and ``kg.io.OutputError`` when the outputs cannot be written (the
    previous build's outputs are then left intact).
    """
    from kg.builder import build as run_build

    paths = [Path(inputs)] if isinstance(inputs, str | os.PathLike) else [Path(p) for p in inputs]
    for path in paths:
        if not path.exists():
            raise FileNotFoundError(f"{path}: no such file or folder")
    return run_build(
        paths,
        Path(out),
        model=model,
        learned=learned,
        workers=workers,
        strict=strict,
        base=base,
        html=html,
        dask_address=dask,
        progress=progress,
    )


def open(path: PathLike = "output") -> KnowledgeGraph:
    """A built graph: a build folder (its ``store/``), a store folder, or an RDF file
    (``.ttl .nt .jsonld .rdf ...``, loaded in memory).

    A build's store is opened read-only, so a notebook can hold it while ``kg build`` writes
    the next one (the graph keeps showing the build it opened). Raises
    ``kg.store.StoreError`` when there is nothing to open.
    """
    from kg.store import OX_FORMATS, load_file, open_store

    source = Path(path)
    is_file = source.is_file() or (not source.is_dir() and source.suffix.lower() in OX_FORMATS)
    store = load_file(source) if is_file else open_store(source)
    return KnowledgeGraph(store, source)


def queries() -> list[NamedQuery]:
    """The named example queries (``kg query --list``): ``.name``, ``.description``,
    ``.params`` (name, type, description, default) and ``.text``."""
    from kg.query import list_queries

    return list_queries()


class KnowledgeGraph:
    """A built graph, read through its Oxigraph store (``.store``, a ``pyoxigraph.Store``)."""

    def __init__(self, store: pyoxigraph.Store, source: Path) -> None:
        self.store = store
        self.source = source

    def query(self, query: str, /, **params: Any) -> Rows | bool:
        """Run a named query (see :func:`queries`), a ``.rq`` file or SPARQL text.

        Parameters are keyword arguments (``g.query("compared-with", model="GPT-4")``); each
        value reaches the query as one RDF term, never as query text. kg's prefixes (``kg:``,
        ``skos:``, ``dcterms:`` ...) are predeclared. A SELECT returns :class:`kg.Rows` (columns
        in the query's order; ``.to_pandas()``), an ASK a ``bool``, a CONSTRUCT or DESCRIBE
        ``Rows`` of subject, predicate, object. Raises ``kg.QueryError`` with the line and
        column of a syntax error, or naming an unknown query or parameter.
        """
        import pyoxigraph as ox

        from kg.query import Rows, run

        values = {name: _param(value) for name, value in params.items() if value is not None}
        result = run(self.store, query, values)
        if isinstance(result, ox.QueryBoolean):
            return bool(result)
        return Rows.of(result)

    def explain(self, name: str) -> list[EntityReport]:
        """What the graph knows about the entities called ``name`` (name, alias or key, any
        case): type, aliases, the papers proposing and using each, its relations, and the
        evidence sentences behind every edge (``kg explain``). Best match first; ``print()``
        one for the text ``kg explain`` shows. Raises ``LookupError`` (with suggestions) when
        no entity has that name."""
        from kg.explain import explain

        return explain(self.store, name)

    def to_networkx(self) -> nx.MultiDiGraph:
        """The graph as a networkx ``MultiDiGraph``, with the same nodes, edges and attributes
        as ``kg export --to graph.graphml``: nodes ``paper:<id>`` and ``entity:<key>``
        (``kind``, ``label``, ``type``, ``aliases``, ``paper_count``, ``date``,
        ``organisation``, ``iri``), one edge per assertion (``relation``, ``paper``,
        ``confidence``, ``evidence``)."""
        from kg.exports import to_networkx

        return to_networkx(self.store)

    def close(self) -> None:
        """Let go of the store (also done when the graph is garbage-collected)."""
        self.__dict__.pop("store", None)

    def __enter__(self) -> KnowledgeGraph:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<KnowledgeGraph {self.source}>"


def _param(value: Any) -> str:
    """A keyword argument as the text ``--param NAME=VALUE`` would carry."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)

"""The persistent Oxigraph store a build writes (``output/store/``) and queries read.

Oxigraph (RocksDB underneath) answers SPARQL far faster than rdflib's memory store and opens
in milliseconds, so ``kg query``/``kg explain``/``kg serve`` never re-parse Turtle. A build
loads N-Triples into a fresh store in a temporary directory and renames it into place.
"""

from __future__ import annotations

import contextlib
import gc
import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from kg.io import current_umask

STORE_DIR = "store"

#: File suffix -> Oxigraph parser format.
OX_FORMATS: dict[str, ox.RdfFormat] = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
    ".n3": ox.RdfFormat.N3,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".xml": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".json": ox.RdfFormat.JSON_LD,
}


class StoreError(Exception):
    """A store is missing or unreadable; the message names the directory and what to do."""


def ox_format(path: str | Path) -> ox.RdfFormat:
    suffix = Path(path).suffix.lower()
    if suffix not in OX_FORMATS:
        raise StoreError(f"{path}: unknown RDF file type {suffix!r} (known: {sorted(OX_FORMATS)})")
    return OX_FORMATS[suffix]


def build_store(source: str | Path, dest: str | Path) -> Path:
    """Load the RDF file ``source`` into a new Oxigraph store at ``dest``, replacing it whole.

    The store is built in a sibling temporary directory and renamed over ``dest`` only once it
    is complete; a failure leaves the previous store untouched.
    """
    dest = Path(dest)
    swap_into_place(stage_bulk_load(source, dest), dest)
    return dest


def _staging_dir(dest: Path) -> Path:
    dest.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f".{dest.name}.", suffix=".tmp", dir=dest.parent))


def stage_bulk_load(source: str | Path, dest: str | Path, fmt: ox.RdfFormat | None = None) -> Path:
    """A new store holding the RDF file ``source``, in a folder beside ``dest`` (not yet
    renamed over it: :func:`swap_into_place` does that)."""
    source, dest = Path(source), Path(dest)
    tmp = _staging_dir(dest)
    try:
        store = ox.Store(str(tmp))
        try:
            store.bulk_load(path=str(source), format=fmt or ox_format(source))
            store.optimize()
            store.flush()
        finally:
            del store  # closes it: the store holds no reference cycle
        os.chmod(tmp, 0o777 & ~current_umask())
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return tmp


def stage_update(dest: str | Path, removals: Iterable[bytes], additions: Iterable[bytes]) -> Path:
    """A copy of the store ``dest`` with N-Triples ``removals`` taken out and ``additions``
    put in, in a folder beside it. The copy shares the old store's immutable files through
    hard links (RocksDB checkpoint), so it costs what changes, not what the store holds."""
    dest = Path(dest)
    tmp = _staging_dir(dest)
    os.rmdir(tmp)  # backup() makes the folder itself
    try:
        old = ox.Store(str(dest))
        try:
            old.backup(str(tmp))
        finally:
            del old
        store = ox.Store(str(tmp))
        try:
            for chunk in removals:
                if chunk.strip():
                    for quad in ox.parse(chunk, format=ox.RdfFormat.N_TRIPLES):
                        store.remove(quad)
            for chunk in additions:
                if chunk.strip():
                    store.extend(ox.parse(chunk, format=ox.RdfFormat.N_TRIPLES))
            store.flush()
        finally:
            del store
        os.chmod(tmp, 0o777 & ~current_umask())
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return tmp


def swap_into_place(new: Path, dest: Path, keep_old: bool = False) -> Path | None:
    """Replace directory ``dest`` by ``new``: two renames, the old copy removed afterwards
    (or, with ``keep_old``, left under the hidden name returned, for the caller to remove)."""
    old = None
    if dest.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{dest.name}.", suffix=".old", dir=dest.parent))
        os.rmdir(old)
        os.replace(dest, old)
    os.replace(new, dest)
    if old is not None and not keep_old:
        shutil.rmtree(old, ignore_errors=True)
        return None
    return old


def store_path(out: str | Path) -> Path:
    """The store inside a build directory (or ``out`` itself if it is a store)."""
    out = Path(out)
    if (out / STORE_DIR).is_dir():
        return out / STORE_DIR
    if out.is_dir() and any(out.glob("*.sst")) or (out / "CURRENT").is_file():
        return out
    return out / STORE_DIR


def open_store(out: str | Path, read_only: bool = True) -> ox.Store:
    """Open the store a build wrote in ``out`` (a build directory or the store itself)."""
    path = store_path(out)
    if not path.is_dir():
        raise StoreError(
            f"no Oxigraph store at {path}: run `kg build` (it writes {STORE_DIR}/ into the "
            "output directory) or pass --graph FILE"
        )
    try:
        return ox.Store.read_only(str(path)) if read_only else ox.Store(str(path))
    except OSError as exc:
        raise StoreError(f"cannot open the Oxigraph store at {path}: {exc}") from exc


def load_file(path: str | Path) -> ox.Store:
    """An in-memory Oxigraph store holding the RDF file ``path`` (the --graph fallback)."""
    path = Path(path)
    if not path.is_file():
        raise StoreError(f"{path}: no such file")
    store = ox.Store()
    try:
        store.bulk_load(path=str(path), format=ox_format(path))
    except SyntaxError as exc:
        raise StoreError(f"{path}: {exc}") from exc
    return store


def count_triples(store: ox.Store) -> int:
    """Triples in the default graph."""
    res = store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    return int(next(iter(res))["n"].value)


@contextlib.contextmanager
def opened(out: str | Path, graph: str | Path | None = None):
    """The store of build ``out``, or an in-memory store of file ``graph`` when given."""
    store = load_file(graph) if graph is not None else open_store(out)
    try:
        yield store
    finally:
        del store
        gc.collect()

"""A build's outputs assembled from parts, so a re-build rewrites only what changed.

The RDF of a build splits into disjoint parts (no subject is shared between them, see
:func:`kg.rdf.graph_parts`): a *head* (the dataset description and the entities, remade every
build) and one *part per paper*. A paper's part depends only on the paper, its extraction, the
entity keys its names resolve to and the base IRI, all folded into the part's key.

graph.nt, graph.ttl, graph.jsonld and extractions.jsonl are the head followed by the parts in
paper order. A re-build copies every unchanged part's bytes from the previous files with
``os.copy_file_range`` (in the kernel, a run of neighbouring parts at a time), renders only the
parts whose key changed, and updates a hard-linked copy of the Oxigraph store by difference:
the old triples of changed and removed papers out, the new ones in. Where each part lies in the
previous files is kept in the cache database together with the files' sizes and modification
times and the store's build id; if any of them no longer matches (a file edited, a store
replaced), everything is rendered anew, so a stale byte can never be copied.

Nothing is replaced until everything is ready: files are written beside their targets, the
store is staged in a sibling folder, and all are renamed in one go at the end.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import json
import os
import queue
import shutil
import sqlite3
import tempfile
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from kg.io import OutputError, current_umask, delete_later
from kg.namespaces import DEFAULT_BASE, PREFIXES
from kg.rdf import graph_parts, serialize
from kg.store import stage_bulk_load, stage_update, swap_into_place

if TYPE_CHECKING:
    import networkx as nx

#: Output file of each part format.
FILES: dict[str, str] = {
    "nt": "graph.nt",
    "ttl": "graph.ttl",
    "jsonld": "graph.jsonld",
    "jsonl": "extractions.jsonl",
}
RDF_FORMATS = ("nt", "ttl", "jsonld")

#: A re-build that changes more than this share of the papers bulk-loads a new store instead of
#: updating the old one triple by triple.
STORE_UPDATE_SHARE = 0.25

#: Up to this many triples graph.jsonld is rdflib's compacted JSON-LD (short terms from our
#: context), made whole each build: rdflib compacts about 20,000 triples a second and needs about
#: 1 KB a triple. Above it, graph.jsonld is the parts' expanded JSON-LD, copied like the rest.
JSONLD_COMPACT_LIMIT = 100_000

STORE_MARK = "kg-build"  # file inside the store folder holding the id of the build that made it

SCHEMA = """
CREATE TABLE IF NOT EXISTS part (
    paper_id TEXT PRIMARY KEY,
    key TEXT NOT NULL,
    triples INTEGER NOT NULL,
    spans TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS output_state (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"""


# --------------------------------------------------------------------------- rendering


@dataclass(slots=True)
class Part:
    """One part's bytes in each format (``jsonl`` is empty for the head)."""

    nt: bytes
    ttl: bytes
    jsonld: bytes
    jsonl: bytes = b""
    triples: int = 0

    def data(self, fmt: str) -> bytes:
        return getattr(self, fmt)


def _ttl_prefixes(base: str) -> dict[str, str]:
    return {**PREFIXES, "res": base}


def ttl_header(base: str) -> bytes:
    return "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in _ttl_prefixes(base).items()).encode()


class _Rows:
    """Duck-types ``Graph.add``: each triple becomes one N-Triples row (rdflib's row writer)."""

    def __init__(self) -> None:
        from rdflib.plugins.serializers.nt import _nt_row

        self._row = _nt_row
        self.buf = io.StringIO()
        self.count = 0

    def add(self, triple: tuple[Any, Any, Any]) -> None:
        self.buf.write(self._row(triple))
        self.count += 1


def render(fill: Callable[[Any], None], base: str = DEFAULT_BASE, jsonl: bytes = b"") -> Part:
    """The bytes of the triples ``fill(sink)`` sends, in every format.

    rdflib's row writer escapes the literals; Oxigraph re-reads the rows and writes each syntax,
    so literals have the store's canonical form and the three files say exactly what the store
    holds. Turtle parts carry no @prefix lines (the file has them once); JSON-LD parts are node
    objects without the surrounding brackets, each part led by the comma that joins it to what
    comes before (so runs of parts copy as one piece).
    """
    rows = _Rows()
    fill(rows)
    if not rows.count:
        return Part(b"", b"", b"", jsonl, 0)
    triples = [q.triple for q in ox.parse(rows.buf.getvalue().encode(), format=NT)]
    prefixes = _ttl_prefixes(base)
    ttl = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes)
    lines = ttl.split(b"\n", len(prefixes))  # Oxigraph writes every prefix first, in its order
    if not all(ln.startswith(b"@prefix ") for ln in lines[:-1]):  # pragma: no cover
        raise RuntimeError("unexpected Turtle prefix block from Oxigraph")
    return Part(
        nt=ox.serialize(triples, format=NT),
        ttl=lines[-1],
        jsonld=_jsonld_part(triples),
        jsonl=jsonl,
        triples=len(triples),
    )


def _jsonld_part(triples: list[ox.Triple]) -> bytes:
    """Oxigraph's expanded JSON-LD node objects, brackets off, led by their joining comma."""
    return b",\n" + ox.serialize(triples, format=ox.RdfFormat.JSON_LD)[1:-1] if triples else b""


NT = ox.RdfFormat.N_TRIPLES


# --------------------------------------------------------------------------- previous build


@dataclass(slots=True)
class Located:
    """Where the previous build wrote a paper's part: (offset, length) in each file."""

    key: str
    triples: int
    spans: dict[str, tuple[int, int]]


@dataclass(slots=True)
class Previous:
    """The previous build's parts, if its files and store are still the ones it wrote."""

    parts: dict[str, Located] = field(default_factory=dict)
    head: dict[str, tuple[int, int]] = field(default_factory=dict)
    build: str = ""
    valid: bool = False


def _stat(path: Path) -> list[int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns, st.st_ino]


def load_previous(db: sqlite3.Connection, out: Path) -> Previous:
    """What the last build left, checked against the files and store on disk."""
    db.executescript(SCHEMA)
    row = db.execute("SELECT value FROM output_state WHERE name='state'").fetchone()
    if row is None:
        return Previous()
    state = json.loads(row[0])
    prev = Previous(
        build=state.get("build", ""), head={k: tuple(v) for k, v in state["head"].items()}
    )
    for name, stat in state.get("files", {}).items():
        if _stat(out / name) != stat:  # not the file the last build wrote
            return prev
    mark = out / "store" / STORE_MARK
    if not mark.is_file() or mark.read_text(encoding="utf-8").strip() != prev.build:
        return prev  # not the store the last build made
    for pid, key, triples, spans in db.execute("SELECT paper_id, key, triples, spans FROM part"):
        prev.parts[pid] = Located(key, triples, {k: tuple(v) for k, v in json.loads(spans).items()})
    prev.valid = True
    return prev


# --------------------------------------------------------------------------- assembling


class _Target:
    """One output file being assembled in a temporary file beside it: new bytes are written,
    runs of unchanged bytes are copied from the previous file inside the kernel.

    The writing happens on a thread of its own, fed through a short queue, so the disk works
    while the build renders, and the build waits for it only at :meth:`wait`.
    """

    def __init__(self, path: Path, old: Path | None) -> None:
        self.path = path
        try:
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        except OSError as exc:
            raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from exc
        self.fd, self.tmp = fd, Path(tmp)
        self.src = os.open(old, os.O_RDONLY) if old is not None and old.is_file() else None
        self.pos = 0
        self.pending: list[bytes] = []
        self.pending_size = 0
        self.run: tuple[int, int] | None = None  # (offset, length) in the previous file
        self._ops: queue.Queue[tuple[Any, ...] | None] = queue.Queue(maxsize=16)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._work, name=f"write {path.name}", daemon=True)
        self._thread.start()

    # -- producer side (the build's thread)

    def write(self, data: bytes) -> tuple[int, int]:
        self._flush_run()
        at = self.pos
        self.pending.append(data)
        self.pending_size += len(data)
        self.pos += len(data)
        if self.pending_size >= 1 << 20:
            self._flush_pending()
        return at, len(data)

    def copy(self, span: tuple[int, int]) -> tuple[int, int]:
        off, length = span
        self._flush_pending()
        if self.run is not None and self.run[0] + self.run[1] == off:
            self.run = (self.run[0], self.run[1] + length)
        else:
            self._flush_run()
            self.run = (off, length)
        at = self.pos
        self.pos += length
        return at, length

    def read_old(self, span: tuple[int, int]) -> bytes:
        assert self.src is not None
        return os.pread(self.src, span[1], span[0])

    def _send(self, op: tuple[Any, ...] | None) -> None:
        if self._error is not None:
            raise self._error
        self._ops.put(op)

    def _flush_pending(self) -> None:
        if self.pending:
            self._send(("write", b"".join(self.pending)))
            self.pending = []
            self.pending_size = 0

    def _flush_run(self) -> None:
        if self.run is not None:
            self._flush_pending()
            self._send(("copy", *self.run))
            self.run = None

    def finish(self) -> None:
        """Everything written, then flushed to the disk (fsync), on the writing thread."""
        self._flush_run()
        self._flush_pending()
        self._send(("sync",))

    def wait(self) -> None:
        """Block until the writing thread has done everything asked; raise what it met."""
        if self._thread.is_alive():
            self._ops.put(None)
            self._thread.join()
        if self._error is not None:
            raise self._error

    # -- consumer side (the writing thread)

    def _work(self) -> None:
        while (op := self._ops.get()) is not None:
            if self._error is not None:
                continue  # drain, so the producer never blocks on a dead writer
            try:
                if op[0] == "write":
                    self._write_all(op[1])
                elif op[0] == "copy":
                    self._copy(op[1], op[2])
                else:
                    os.fsync(self.fd)
            except OutputError as exc:
                self._error = exc
            except OSError as exc:
                self._error = OutputError(f"cannot write {self.path}: {exc.strerror or exc}")
            except BaseException as exc:  # pragma: no cover - reported to the producer
                self._error = exc

    def _write_all(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            view = view[os.write(self.fd, view) :]

    def _copy(self, off: int, left: int) -> None:
        assert self.src is not None
        copy = getattr(os, "copy_file_range", None)  # Linux; elsewhere through user space
        try:
            while left and copy is not None:
                n = copy(self.src, self.fd, left, off)
                if n == 0:
                    raise OutputError(f"{self.path}: the previous file ended early")
                off, left = off + n, left - n
        except OSError as exc:
            if exc.errno not in (18, 22, 38, 95):  # EXDEV, EINVAL, ENOSYS, EOPNOTSUPP
                raise
        while left:
            chunk = os.pread(self.src, min(left, 1 << 22), off)
            if not chunk:
                raise OutputError(f"{self.path}: the previous file ended early")
            self._write_all(chunk)
            off, left = off + len(chunk), left - len(chunk)

    def rewrite(self, data: bytes) -> None:
        """Replace the whole content (after :meth:`wait`)."""
        try:
            os.ftruncate(self.fd, 0)
            os.lseek(self.fd, 0, os.SEEK_SET)
            self._write_all(data)
            os.fsync(self.fd)
        except OSError as exc:
            raise OutputError(f"cannot write {self.path}: {exc.strerror or exc}") from exc
        self.pos = len(data)

    def close(self) -> None:
        if self._thread.is_alive():
            self._error = self._error or OutputError(f"{self.path}: abandoned")
            self._ops.put(None)
            self._thread.join()
        for fd in (self.fd, self.src):
            if fd is not None and fd >= 0:
                with contextlib.suppress(OSError):
                    os.close(fd)
        self.src = None
        self.fd = -1

    def commit(self, trash: list[Path]) -> None:
        """Rename into place. The file replaced keeps a hidden name, added to ``trash``: freeing
        gigabytes takes the file system seconds, which need not hold the build up."""
        os.chmod(self.tmp, 0o666 & ~current_umask())
        if self.path.is_file():
            old = self.path.with_name(f".{self.path.name}.{uuid.uuid4().hex[:8]}.old")
            with contextlib.suppress(OSError):
                os.link(self.path, old)
                trash.append(old)
        os.replace(self.tmp, self.path)

    def discard(self) -> None:
        self.close()
        self.tmp.unlink(missing_ok=True)


class Assembler:
    """Writes one build's outputs: the head, then each paper's part, new or copied.

    Use as a context manager; :meth:`commit` renames everything into place, leaving the block
    without it (an error) removes every temporary file and staged store.
    """

    def __init__(
        self,
        out: Path,
        previous: Previous,
        *,
        base: str = DEFAULT_BASE,
        extractions: bool = True,
    ) -> None:
        self.out = out
        self.previous = previous
        delete_later(list(out.glob(".*.old")))  # what an interrupted clean-up left behind
        self.base = base
        self.formats = [*RDF_FORMATS, "jsonl"] if extractions else list(RDF_FORMATS)
        reuse = previous.valid
        self.targets: dict[str, _Target] = {}
        for fmt in self.formats:
            path = out / FILES[fmt]
            self.targets[fmt] = _Target(path, path if reuse else None)
        self.parts: dict[str, Located] = {}
        self.head: dict[str, tuple[int, int]] = {}
        self.triples = 0
        self.rendered: list[str] = []
        self._staged_store: Path | None = None
        self.build_id = uuid.uuid4().hex
        self.head_nt = b""
        # The N-Triples of rendered parts, kept for updating the store by difference while
        # the files are written; dropped (the store is bulk-loaded) once too many are new.
        self._update_limit = int(STORE_UPDATE_SHARE * max(len(previous.parts), 1))
        self._keep_new_nt = previous.valid
        self._new_nt: list[bytes] = []
        #: Said to the user after the build (the outputs are fine, but reuse is lost).
        self.note = ""

    def __enter__(self) -> Assembler:
        self.targets["ttl"].write(ttl_header(self.base))
        self.targets["jsonld"].write(b"[")
        return self

    def __exit__(self, *exc: object) -> None:
        for t in self.targets.values():
            t.discard()
        if self._staged_store is not None:
            shutil.rmtree(self._staged_store, ignore_errors=True)

    # -- content

    def add_head(self, part: Part) -> None:
        """The dataset description and entities: written first, remade every build."""
        if not part.triples:
            raise ValueError("the head of a build holds at least the dataset description")
        part.jsonld = part.jsonld.removeprefix(b",\n")  # the first item of the array
        for fmt in RDF_FORMATS:
            self.head[fmt] = self.targets[fmt].write(part.data(fmt))
        self.triples += part.triples
        self.head_nt = part.nt

    def reusable(self, pid: str, key: str) -> bool:
        old = self.previous.parts.get(pid) if self.previous.valid else None
        needed = {"nt", "ttl"} | ({"jsonl"} & set(self.formats))
        return old is not None and old.key == key and needed <= set(old.spans)

    def add(self, pid: str, key: str, part: Part | None) -> None:
        """A paper's part: rendered (``part``) or copied from the previous files (None)."""
        if part is None:
            old = self.previous.parts[pid]
            spans = {}
            for fmt in self.formats:
                span = old.spans.get(fmt)
                if span is None:  # the last graph.jsonld was compacted whole: convert the part
                    data = self.targets["nt"].read_old(old.spans["nt"])
                    triples = [q.triple for q in ox.parse(data, format=NT)]
                    spans[fmt] = self.targets[fmt].write(_jsonld_part(triples))
                    continue
                spans[fmt] = self.targets[fmt].copy(span) if span[1] else (self.targets[fmt].pos, 0)
            self.parts[pid] = Located(key, old.triples, spans)
            self.triples += old.triples
            return
        self.rendered.append(pid)
        if self._keep_new_nt:
            self._new_nt.append(part.nt)
            self._keep_new_nt = len(self._new_nt) <= self._update_limit
        spans = {fmt: self.targets[fmt].write(part.data(fmt)) for fmt in self.formats}
        self.parts[pid] = Located(key, part.triples, spans)
        self.triples += part.triples

    # -- finishing

    def finish(self, store: bool = True) -> None:
        """Finish the files and stage the store (bulk-loaded, or updated by difference while
        the files are still being written)."""
        self.targets["jsonld"].write(b"]\n")
        for t in self.targets.values():
            t.finish()
        if store:
            self._stage_store()
        for t in self.targets.values():
            t.wait()
        if self.triples <= JSONLD_COMPACT_LIMIT:
            self._compact_jsonld()

    def _compact_jsonld(self) -> None:
        from rdflib import Graph

        rdf = Graph(bind_namespaces="none")
        rdf.parse(self.targets["nt"].tmp, format="nt")
        self.targets["jsonld"].rewrite(serialize(rdf, "json-ld", self.base))
        for loc in self.parts.values():  # nothing in this file can be copied by the next build
            loc.spans.pop("jsonld", None)
        self.head.pop("jsonld", None)

    def _changed_share(self) -> float:
        old = set(self.previous.parts)
        gone = len(old - set(self.parts))
        return (len(self.rendered) + gone) / max(1, len(self.parts), len(old))

    def _stage_store(self) -> None:
        dest = self.out / "store"
        prev = self.previous
        update = prev.valid and dest.is_dir() and self._changed_share() <= STORE_UPDATE_SHARE
        if not update or not self._keep_new_nt:
            self.targets["nt"].wait()
            self._staged_store = stage_bulk_load(self.targets["nt"].tmp, dest, NT)
        else:
            gone, added = self._head_change()
            removals = itertools.chain([gone], self._old_parts_changed())
            additions = itertools.chain([added], self._new_nt)
            self._staged_store = stage_update(dest, removals, additions)
        (self._staged_store / STORE_MARK).write_text(self.build_id + "\n", encoding="utf-8")

    def _head_change(self) -> tuple[bytes, bytes]:
        """N-Triples lines of the head that went away, and those that are new."""
        old_head = b""
        if "nt" in self.previous.head:
            old_head = self.targets["nt"].read_old(self.previous.head["nt"])
        old, new = set(old_head.splitlines()), set(self.head_nt.splitlines())
        gone = b"\n".join(ln for ln in old_head.splitlines() if ln not in new)
        added = b"\n".join(ln for ln in self.head_nt.splitlines() if ln not in old)
        return gone, added

    def _old_parts_changed(self) -> Iterator[bytes]:
        """The old N-Triples of every paper whose part changed or went away."""
        for pid, loc in self.previous.parts.items():
            new = self.parts.get(pid)
            if new is None or new.key != loc.key:
                yield self.targets["nt"].read_old(loc.spans["nt"])

    def commit(self, db: sqlite3.Connection | None) -> dict[str, Path]:
        """Rename every output into place, then record where each part now lies."""
        for t in self.targets.values():
            t.close()
        trash: list[Path] = []
        for t in self.targets.values():
            t.commit(trash)
        outputs = {fmt: t.path for fmt, t in self.targets.items()}
        if self._staged_store is not None:
            old = swap_into_place(self._staged_store, self.out / "store", keep_old=True)
            self._staged_store = None
            outputs["store"] = self.out / "store"
            if old is not None:
                trash.append(old)
        delete_later(trash)
        if db is None:
            return outputs
        state = {
            "build": self.build_id,
            "head": self.head,
            "files": {t.path.name: _stat(t.path) for t in self.targets.values()},
        }
        rows = (
            (pid, loc.key, loc.triples, json.dumps(loc.spans)) for pid, loc in self.parts.items()
        )
        try:
            with db:
                db.executescript(SCHEMA)
                db.execute("DELETE FROM part")
                db.executemany("INSERT INTO part VALUES (?, ?, ?, ?)", rows)
                db.execute(
                    "INSERT OR REPLACE INTO output_state VALUES ('state', ?)", (json.dumps(state),)
                )
        except sqlite3.Error as exc:
            # The outputs are complete; only the next build's reuse is lost (it renders anew).
            self.note = (
                f"could not record the build in the cache ({exc}); the next build redoes all"
            )
        return outputs


def parse_nt(chunks: Iterable[bytes]) -> Iterator[ox.Quad]:
    """Quads of N-Triples byte chunks (each a whole number of lines)."""
    for chunk in chunks:
        if chunk.strip():
            yield from ox.parse(chunk, format=NT)


def write_outputs(
    g: nx.MultiDiGraph, out_dir: str | Path, base: str = DEFAULT_BASE
) -> dict[str, Path]:
    """Write graph.nt, graph.ttl, graph.jsonld and the Oxigraph store ``store/`` of any graph
    ``g`` into ``out_dir``, all parts rendered; nothing is replaced until all are complete."""
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot write {out}: {exc.strerror or exc}") from exc
    head, parts = graph_parts(g, base)
    with Assembler(out, Previous(), base=base, extractions=False) as asm:
        asm.add_head(render(head, base))
        for pid, fill in parts:
            asm.add(pid, "", render(fill, base))
        asm.finish()
        return asm.commit(None)

"""Load a build into any SPARQL 1.1 Graph Store Protocol server (Fuseki, Virtuoso, Oxigraph...).

The way a user moves to a shared server when one machine is not enough: the build's N-Triples
are streamed in one HTTP request to ``ENDPOINT?graph=IRI`` (or ``?default``); POST adds to the
graph, PUT (``replace=True``) replaces it.
"""

from __future__ import annotations

import base64
import os
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

#: Content types of the RDF files a push can send, by suffix.
CONTENT_TYPES = {
    ".nt": "application/n-triples",
    ".ttl": "text/turtle",
    ".rdf": "application/rdf+xml",
    ".xml": "application/rdf+xml",
    ".jsonld": "application/ld+json",
    ".nq": "application/n-quads",
    ".trig": "application/trig",
}


class PushError(Exception):
    """The upload failed; the message names the endpoint and the server's answer."""


@dataclass
class PushResult:
    url: str
    method: str
    status: int
    bytes_sent: int
    source: Path


def source_file(source: str | Path) -> Path:
    """The file to send: a build folder's graph.nt, or the given RDF file."""
    source = Path(source)
    if source.is_dir():
        nt = source / "graph.nt"
        if not nt.is_file():
            raise PushError(f"{source}: no graph.nt in this folder (run `kg build` first)")
        return nt
    if not source.is_file():
        raise PushError(f"{source}: no such file or build folder")
    if source.suffix.lower() not in CONTENT_TYPES:
        known = " ".join(sorted(CONTENT_TYPES))
        raise PushError(f"{source}: cannot push {source.suffix!r} files (known: {known})")
    return source


def target_url(endpoint: str, graph: str | None = None) -> str:
    """``endpoint?graph=<iri>`` (percent-encoded) or ``endpoint?default``."""
    parts = urllib.parse.urlsplit(endpoint)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise PushError(f"endpoint {endpoint!r} is not an http(s) URL")
    if graph is not None:
        import pyoxigraph as ox

        try:
            ox.NamedNode(graph)
        except ValueError as exc:
            raise PushError(f"graph {graph!r} is not a valid IRI: {exc}") from exc
    query = urllib.parse.urlencode({"graph": graph}) if graph else "default"
    sep = "&" if parts.query else ""
    return urllib.parse.urlunsplit(parts._replace(query=f"{parts.query}{sep}{query}"))


def push(
    source: str | Path,
    endpoint: str,
    graph: str | None = None,
    *,
    replace: bool = False,
    timeout: float = 600.0,
    user: str | None = None,
    password: str | None = None,
) -> PushResult:
    """Upload ``source`` (a build folder or RDF file) to a Graph Store Protocol ``endpoint``."""
    path = source_file(source)
    url = target_url(endpoint, graph)
    size = path.stat().st_size
    method = "PUT" if replace else "POST"
    headers = {
        "Content-Type": CONTENT_TYPES[path.suffix.lower()],
        "Content-Length": str(size),
    }
    user = user or os.environ.get("KG_PUSH_USER")
    password = password or os.environ.get("KG_PUSH_PASSWORD")
    if user:
        token = base64.b64encode(f"{user}:{password or ''}".encode()).decode()
        headers["Authorization"] = f"Basic {token}"
    with open(path, "rb") as body:
        req = urllib.request.Request(url, data=body, headers=headers, method=method)
        try:
            with urllib.request.urlopen(req, timeout=timeout) as resp:
                status = resp.status
        except urllib.error.HTTPError as exc:
            detail = exc.read(500).decode("utf-8", errors="replace").strip()
            msg = f"{method} {url} failed: HTTP {exc.code} {exc.reason}: {detail}"
            raise PushError(msg) from exc
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise PushError(f"cannot reach {url}: {reason}") from exc
    return PushResult(url, method, status, size, path)

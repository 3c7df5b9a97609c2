"""``kg push``: load a build into a SPARQL 1.1 Graph Store Protocol server."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from kg.cli.app import app
from kg.cli.common import console, fail


@app.command()
def push(
    endpoint: Annotated[
        str,
        typer.Option(
            help="Graph Store Protocol URL, e.g. http://host:7878/store (Oxigraph) or "
            "http://host:3030/ds/data (Fuseki)."
        ),
    ],
    graph: Annotated[
        str | None, typer.Option(help="Named graph IRI to load into (default: the default graph).")
    ] = None,
    out: Annotated[
        Path, typer.Option("--out", help="Build folder whose graph.nt to send, or an RDF file.")
    ] = Path("output"),
    replace: Annotated[
        bool, typer.Option(help="Replace the graph's content (PUT) instead of adding (POST).")
    ] = False,
    user: Annotated[
        str | None,
        typer.Option(help="HTTP basic-auth user (password from $KG_PUSH_PASSWORD)."),
    ] = None,
) -> None:
    """Upload a build to a shared SPARQL server (Fuseki, Virtuoso, QLever, Oxigraph...)."""
    from kg.push import PushError
    from kg.push import push as run_push

    try:
        res = run_push(out, endpoint, graph, replace=replace, user=user)
    except PushError as exc:
        raise fail(escape(str(exc))) from exc
    console.print(
        f"{res.method} {escape(res.url)}: HTTP {res.status}, sent {res.bytes_sent:,} bytes "
        f"of {escape(str(res.source))}",
        highlight=False,
    )

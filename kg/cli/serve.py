"""``kg serve``: a read-only SPARQL 1.1 endpoint at /query over a build's store."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from kg.cli.app import app
from kg.cli.common import console, fail


@app.command()
def serve(
    out: Annotated[Path, typer.Option("--out", help="Build folder whose store/ to serve.")] = Path(
        "output"
    ),
    port: Annotated[int, typer.Option(help="TCP port.", min=1, max=65535)] = 7878,
    host: Annotated[
        str, typer.Option(help="Interface to listen on (0.0.0.0 to accept remote clients).")
    ] = "127.0.0.1",
    timeout: Annotated[int, typer.Option(help="Per-query timeout in seconds.", min=1)] = 30,
    cors: Annotated[bool, typer.Option(help="Allow cross-origin requests.")] = False,
) -> None:
    """Serve the build's store as a read-only SPARQL 1.1 Protocol endpoint (Oxigraph server)."""
    from kg import serve as srv
    from kg.store import StoreError

    try:
        cmd = srv.command(out, host, port, timeout, cors)
    except (srv.ServeError, StoreError) as exc:
        raise fail(escape(str(exc))) from exc
    console.print(
        f"SPARQL endpoint: {escape(srv.endpoint_url(host, port))} (read-only, "
        f"{timeout} s timeout); Ctrl-C stops it",
        highlight=False,
    )
    srv.serve_forever(cmd)

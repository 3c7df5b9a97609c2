"""``kg export``: a build (or RDF file) to another RDF syntax, GraphML/GEXF or CSV."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from kg.cli.app import app
from kg.cli.common import console, fail


@app.command()
def export(
    source: Annotated[
        Path,
        typer.Argument(help="A build folder (e.g. output/) or an RDF file (.ttl .nt .jsonld ...)."),
    ],
    to: Annotated[
        Path,
        typer.Option(
            "--to",
            help="Output file; its extension picks the format: .ttl .nt .jsonld .rdf/.xml "
            ".graphml .gexf, or .csv for a nodes/edges CSV pair.",
        ),
    ],
) -> None:
    """Convert a build to another format, chosen by the output file's extension."""
    from kg.exports import ExportError
    from kg.exports import export as run_export
    from kg.io import OutputError
    from kg.store import StoreError

    try:
        written = run_export(source, to)
    except (ExportError, StoreError, OutputError) as exc:
        raise fail(escape(str(exc))) from exc
    for path in written:
        console.print(f"wrote {escape(str(path))}", highlight=False)

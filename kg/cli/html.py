"""``kg html``: write the interactive page for a build, or for one neighbourhood / the top N."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Annotated

import typer

from kg.cli.app import app
from kg.cli.common import console, fail


@app.command()
def html(
    out: Annotated[
        Path, typer.Option("--out", help="Build folder to read extractions.jsonl from.")
    ] = Path("output"),
    graph: Annotated[
        Path | None,
        typer.Option(help="extractions.jsonl of a build (default: OUT/extractions.jsonl)."),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Page to write (default: OUT/graph.html)."),
    ] = None,
    focus: Annotated[
        str | None, typer.Option(help="Only the neighbourhood of this name, alias or title.")
    ] = None,
    hops: Annotated[int, typer.Option(help="Neighbourhood radius for --focus.", min=0)] = 1,
    max_nodes: Annotated[
        int | None, typer.Option(help="Keep the N best-connected nodes.", min=1)
    ] = None,
    title: Annotated[str, typer.Option(help="Page title.")] = "kg: ML literature graph",
) -> None:
    """Write the offline, searchable graph page (rebuilt from a build's extractions)."""
    from kg.builder import graph_from_extractions
    from kg.html import NodeNotFound, write_html
    from kg.io import OutputError

    source = graph or out / "extractions.jsonl"
    if not source.is_file():
        raise fail(f"{source}: no such file (run `kg build` first, or pass --graph)")
    target = output or out / "graph.html"
    t0 = time.perf_counter()
    try:
        g = graph_from_extractions(source)
    except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
        raise fail(f"{source}: not a kg extractions file: {exc}") from exc
    try:
        path = write_html(g, target, title=title, focus=focus, hops=hops, max_nodes=max_nodes)
    except NodeNotFound as exc:
        raise fail(str(exc)) from exc
    except OutputError as exc:
        raise fail(str(exc)) from exc
    size = path.stat().st_size / 1e6
    console.print(
        f"wrote {path} ({size:.1f} MB; the build has {g.number_of_nodes()} nodes) "
        f"in {time.perf_counter() - t0:.1f} s"
    )

"""``kg explain``: what the graph knows about an entity, with the evidence behind each edge."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from kg.cli.app import app
from kg.cli.common import fail


@app.command()
def explain(
    name: Annotated[str, typer.Argument(help="Entity name, alias or key (any case).")],
    out: Annotated[Path, typer.Option("--out", help="Build folder whose store/ to read.")] = Path(
        "output"
    ),
    graph: Annotated[
        Path | None, typer.Option(help="Read this RDF file instead of the build's store.")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
    evidence: Annotated[
        int, typer.Option(help="Evidence sentences to show per edge (text format).", min=0)
    ] = 2,
) -> None:
    """Type, aliases, papers that propose or use an entity, and its relations, with evidence."""
    from kg import api
    from kg.explain import NotFound, render_text
    from kg.query import QueryError
    from kg.store import StoreError

    if fmt not in ("text", "json"):
        raise fail(f"unknown format {escape(fmt)!r} (use text or json)")
    try:
        reports = api.open(graph if graph is not None else out).explain(name)
    except NotFound as exc:
        raise fail(escape(str(exc))) from exc
    except (StoreError, QueryError) as exc:
        raise fail(escape(str(exc))) from exc
    if fmt == "json":
        text = json.dumps([r.to_dict() for r in reports], ensure_ascii=False, indent=2)
    else:
        text = render_text(reports, max_evidence=evidence)
    sys.stdout.write(text + "\n")

"""``kg query``: SPARQL over a build's Oxigraph store (or a given RDF file), named queries."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from kg.cli.app import app
from kg.cli.common import console, fail


@app.command()
def query(
    query: Annotated[
        str | None,
        typer.Argument(help="A named query (see --list), a .rq file, or SPARQL text."),
    ] = None,
    out: Annotated[Path, typer.Option("--out", help="Build folder whose store/ to query.")] = Path(
        "output"
    ),
    graph: Annotated[
        Path | None,
        typer.Option(help="Query this RDF file instead (.ttl .nt .jsonld .rdf), loaded in memory."),
    ] = None,
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="table, csv, tsv, json or xml (SPARQL results).")
    ] = "table",
    param: Annotated[
        list[str] | None,
        typer.Option("--param", "-p", help="NAME=VALUE for a query parameter (repeatable)."),
    ] = None,
    list_: Annotated[bool, typer.Option("--list", help="List the named queries.")] = False,
) -> None:
    """Run SPARQL on a build; `--list` shows the named example queries and their parameters."""
    from kg import api
    from kg import query as q
    from kg.store import StoreError

    if list_:
        _list(api.queries())
        return
    if not query:
        raise fail("give a query name, a .rq file or SPARQL text (or --list)")
    try:
        params = q.parse_params(param or [])
        q.resolve(query)  # a bad name or file is reported before the store is opened
        g = api.open(graph if graph is not None else out)
        result = q.run(g.store, query, params)  # what KnowledgeGraph.query runs
        rendered = q.render(result, fmt)
    except (q.QueryError, StoreError) as exc:
        raise fail(escape(str(exc))) from exc
    if fmt == "table":
        console.print(rendered, markup=False, highlight=False, end="", soft_wrap=True)
    else:
        sys.stdout.write(rendered if rendered.endswith("\n") else rendered + "\n")
        sys.stdout.flush()


def _list(queries) -> None:
    from rich.table import Table

    table = Table("name", "question", "parameters", show_lines=True)
    for nq in queries:
        params = "\n".join(
            f"{p.name} ({p.type})" + (f" = {p.default}" if p.default is not None else "")
            for p in nq.params
        )
        table.add_row(escape(nq.name), escape(nq.description), escape(params))
    console.print(table)

"""``kg build``: inputs in, graph.ttl / graph.jsonld / graph.html / extractions.jsonl out."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn
from rich.table import Table

from kg.cli.app import app
from kg.cli.common import console, fail, report_problems


@app.command()
def build(
    inputs: Annotated[
        list[Path] | None,
        typer.Argument(help="Files or folders to read (default: seeds/)."),
    ] = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder.")] = Path("output"),
    model: Annotated[
        str, typer.Option(help="spaCy pipeline name, or 'blank' for the fast rule-only mode.")
    ] = "en_core_web_sm",
    workers: Annotated[int, typer.Option(help="Extraction processes.", min=1)] = 1,
    strict: Annotated[
        bool, typer.Option(help="Stop at the first bad record instead of skipping it.")
    ] = False,
    base: Annotated[str | None, typer.Option(help="Base IRI for papers and entities.")] = None,
    no_html: Annotated[bool, typer.Option("--no-html", help="Skip the HTML page.")] = False,
    dask: Annotated[
        str | None,
        typer.Option(help="Run extraction on a Dask cluster at ADDRESS ('local' starts one)."),
    ] = None,
) -> None:
    """Build the knowledge graph from paper listings into an output folder."""
    from kg import api
    from kg.ingest import IngestError
    from kg.io import OutputError

    paths = inputs or [Path("seeds")]
    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as bar:
        task = bar.add_task("extracting", total=None)

        def progress(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        try:
            report = api.build(
                paths,
                out,
                model=model,
                workers=workers,
                strict=strict,
                base=base,
                html=not no_html,
                dask=dask,
                progress=progress,
            )
        except (FileNotFoundError, IngestError, ValueError) as exc:
            raise fail(str(exc)) from exc
        except OutputError as exc:
            raise fail(f"{exc} (the previous build's outputs are intact)") from exc

    report_problems(report.problems)
    s = report.summary
    console.print(report.headline(), markup=False)
    for note in report.notes:
        console.print(f"[yellow]note:[/] {note}")
    t = Table(title=None, show_header=True, box=None)
    t.add_column("entities by type")
    t.add_column("n", justify="right")
    for k, v in s["entities_by_type"].items():
        t.add_row(k, str(v))
    t.add_row("[bold]total[/]", f"[bold]{s['entities']}[/]")
    e = Table(show_header=True, box=None)
    e.add_column("edges by relation")
    e.add_column("n", justify="right")
    for k, v in s["edges_by_relation"].items():
        e.add_row(k, str(v))
    e.add_row("[bold]total[/]", f"[bold]{s['edges']}[/]")
    console.print(t)
    console.print(e)
    for name, path in report.outputs.items():
        console.print(f"  {name:12} {path}")
    console.print(report.timing(), markup=False)

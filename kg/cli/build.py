"""``kg build``: inputs in, graph.ttl / graph.jsonld / graph.html / extractions.jsonl out."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn
from rich.table import Table

from kg.cli.app import app
from kg.cli.common import LEARNED_HELP, MODEL_HELP, console, fail, learned_model, report_problems


@app.command()
def build(
    inputs: Annotated[
        list[Path] | None,
        typer.Argument(help="Files or folders to read (default: seeds/)."),
    ] = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder.")] = Path("output"),
    model: Annotated[str, typer.Option(help=MODEL_HELP)] = "auto",
    learned: Annotated[str, typer.Option(help=LEARNED_HELP)] = "default",
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
                learned=learned_model(learned),
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
    _report_decisions(report)
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


#: Merges and split decisions printed after a build (all of them are in build-report.json).
SHOWN = 10


def _report_decisions(report) -> None:
    """Say which listings were merged into one paper and which short forms were left split."""
    from kg.builder import REPORT_NAME

    where = escape(str(report.outputs.get("report", REPORT_NAME)))
    if report.merges:
        console.print(
            f"merged {len(report.merges)} listings into papers listed earlier "
            f"(each with its reason in {where}):"
        )
        for m in report.merges[:SHOWN]:
            console.print(f"  {escape(str(m))}", soft_wrap=True)
        if len(report.merges) > SHOWN:
            console.print(f"  ... and {len(report.merges) - SHOWN} more")
    split = [d for d in report.decisions if d.outcome == "split"]
    if split:
        console.print(f"left split: {len(split)} names whose papers disagree:")
        for d in split[:SHOWN]:
            console.print(f"  {escape(str(d))}", soft_wrap=True)
        if len(split) > SHOWN:
            console.print(f"  ... and {len(split) - SHOWN} more in {where}")

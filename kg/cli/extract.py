"""``kg extract``: one JSON object per paper, in the gold annotation shape (plus evidence)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kg.cli.app import app
from kg.cli.common import LEARNED_HELP, MODEL_HELP, console, fail, learned_model, report_problems


@app.command()
def extract(
    inputs: Annotated[list[Path], typer.Argument(help="Files or folders to read.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="JSON Lines file to write.")],
    model: Annotated[str, typer.Option(help=MODEL_HELP)] = "auto",
    learned: Annotated[str, typer.Option(help=LEARNED_HELP)] = "default",
    workers: Annotated[int, typer.Option(help="Extraction processes.", min=1)] = 1,
    strict: Annotated[bool, typer.Option(help="Stop at the first bad record.")] = False,
) -> None:
    """Extract methods, models, datasets, tasks and relations from each paper."""
    from kg.extract import Extractor
    from kg.ingest import IngestError, read_inputs
    from kg.io import OutputError, atomic_write

    for p in inputs:
        if not p.exists():
            raise fail(f"{p}: no such file or folder")
    try:
        res = read_inputs(list(inputs), strict=strict)
    except IngestError as exc:
        raise fail(str(exc)) from exc
    report_problems(res.problems)
    ex = Extractor(model=model, learned=learned_model(learned))
    n = 0
    try:
        with atomic_write(output) as fh:
            for pe in ex.extract(res.papers, n_process=workers):
                fh.write(pe.to_json() + "\n")
                n += 1
    except OutputError as exc:
        raise fail(str(exc)) from exc
    console.print(f"{n} papers -> {output}")

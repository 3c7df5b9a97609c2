"""`kg train`: train the learned extractor from a config, write it with its card, measure it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from kg.cli.app import app
from kg.cli.common import console, fail


@app.command("train")
def train_command(
    config: Annotated[
        Path, typer.Option("--config", help="Training config (TOML); paths are relative to it.")
    ] = Path("configs/train.toml"),
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Model folder to write (default: kg/models/default)."),
    ] = None,
    cv: Annotated[
        bool, typer.Option("--cv/--no-cv", help="Run the k-fold cross-validation.")
    ] = True,
    curve: Annotated[
        bool, typer.Option("--curve/--no-curve", help="Also measure a learning curve.")
    ] = False,
    curve_png: Annotated[
        Path | None,
        typer.Option("--curve-png", help="Draw the learning curve here (needs matplotlib)."),
    ] = None,
    limit: Annotated[
        int | None, typer.Option("--limit", help="Read at most N papers per file (quick runs).")
    ] = None,
    workers: Annotated[
        int,
        typer.Option(
            "--workers", help="Models trained at once (processes); figures do not depend on it."
        ),
    ] = 2,
) -> None:
    """Train the learned extractor (entities, roles, relations) with a fixed seed.

    Writes the weights, model.json and a card (data hashes, config, figures on papers the
    model never saw) to the model folder, and prints the figures beside today's rules'.
    """
    from kg.extract.learned.bundle import DEFAULT_MODEL_NAME, MODELS_DIR

    try:
        from kg.learn.run import train_from_config
        from kg.learn.train import FIGURES
    except ImportError as exc:  # scikit-learn is the `train` extra, not a run-time need
        raise fail(f"kg train needs {exc.name}: pip install 'kg[train]' (or make model)") from exc

    if not config.is_file():
        raise fail(f"{config}: no such training config")
    target = out or MODELS_DIR / DEFAULT_MODEL_NAME
    try:
        run = train_from_config(
            config, target, cv=cv, curve=curve, limit=limit, log=console.print, workers=workers
        )
    except (OSError, ValueError) as exc:
        raise fail(str(exc)) from exc
    console.print(f"model written to {target} in {run.seconds:.0f} s; thresholds {run.thresholds}")
    table = Table(title="lenient F1 on papers the scored model never saw", box=None)
    table.add_column("set")
    table.add_column("extractor")
    for name, _ in FIGURES:
        table.add_column(name, justify="right")
    for label, key in (("held-out", "heldout"), ("dev", "dev"), ("5-fold CV (mean)", "cv")):
        fig = run.figures.get(key)
        for who in ("rules", "learned"):
            if fig and who in fig:
                table.add_row(label, who, *(f"{fig[who][n]:.3f}" for n, _ in FIGURES))
    for p in run.curve:
        table.add_row("held-out", f"learned on {p['train']}", *(f"{p[n]:.3f}" for n, _ in FIGURES))
    console.print(table)
    if run.curve and curve_png is not None:
        from kg.learn.plot import plot_curve

        plot_curve(run.curve, curve_png, "Learning curve of the learned extractor")
        curve_png.with_suffix(".json").write_text(json.dumps(run.curve, indent=1) + "\n")
        console.print(f"learning curve drawn to {curve_png}")

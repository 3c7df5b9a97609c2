"""`kg eval`: score extraction (or a given prediction file) against a gold file."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from kg.cli.app import app
from kg.evaluate import GoldFileError, load_jsonl, parse_mapping, remap_types, score
from kg.io import OutputError, atomic_write
from kg.model import Paper


def _extract(gold: dict[str, dict[str, Any]], gold_path: Path, model: str, n_process: int):
    from kg.extract import Extractor  # imported here: loading spaCy is slow for --pred runs

    papers = [
        Paper(
            id=pid,
            title=rec.get("title", "") or "",
            abstract=rec.get("abstract", "") or "",
            source=str(gold_path),
            line=i,
        )
        for i, (pid, rec) in enumerate(gold.items(), start=1)
    ]
    ex = Extractor(model=model)
    t0 = time.perf_counter()
    out = [pe.to_dict() for pe in ex.extract(papers, n_process=n_process)]
    return out, ex, time.perf_counter() - t0


def _table(res: dict[str, Any], title: str) -> Table:
    table = Table(title=title, show_lines=False)
    for col in ("figure", "P", "R", "F1", "TP", "gold", "pred"):
        table.add_column(col, justify="left" if col == "figure" else "right")

    def row(label: str, r: dict[str, Any]) -> None:
        table.add_row(
            label,
            f"{r['p']:.3f}",
            f"{r['r']:.3f}",
            f"[bold]{r['f1']:.3f}[/bold]",
            str(r["tp"]),
            str(r["gold"]),
            str(r["pred"]),
        )

    row("entities, strict, untyped", res["strict"])
    row("entities, strict, typed", res["strict_typed"])
    row("entities, lenient, untyped", res["lenient"])
    row("entities, lenient, typed", res["lenient_typed"])
    for t in ("Model", "Method", "Dataset", "Task"):
        row(f"  {t} (lenient, typed)", res[f"lenient_{t}"])
    row("role: proposed", res["proposed"])
    row("relations", res["relations"])
    table.caption = (
        f"role accuracy {res['role_accuracy']:.3f} on matched entities · papers "
        f"{res['papers']['predicted']}/{res['papers']['gold']} predicted"
    )
    return table


@app.command("eval")
def eval_command(
    gold_file: Annotated[Path, typer.Argument(help="Gold JSONL (id, title, abstract, entities).")],
    pred: Annotated[
        Path | None, typer.Option("--pred", help="Score this prediction JSONL instead.")
    ] = None,
    model: Annotated[
        str, typer.Option("--model", help="spaCy pipeline, or 'blank' for rule-only.")
    ] = "en_core_web_sm",
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
    mapping: Annotated[
        list[str] | None,
        typer.Option("--map", help="Rename a type in gold and predictions, e.g. Material=Dataset."),
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", help="Write the predictions made to this JSONL.")
    ] = None,
    n_process: Annotated[int, typer.Option("--n-process", help="Worker processes.")] = 1,
) -> None:
    """Precision, recall and F1 of extraction against a gold file.

    Matching is one-to-one within a paper (an unmerged alias is a false positive); strict means
    equal normalised names, lenient also accepts a word-set Jaccard >= 0.5 between any names;
    typed figures also need equal types. Details: kg.evaluate.
    """
    err = Console(stderr=True)
    try:
        types = parse_mapping(mapping or [])
        gold = load_jsonl(gold_file)
        info = ""
        if pred is not None:
            predicted = load_jsonl(pred)
        else:
            recs, ex, secs = _extract(gold, gold_file, model, n_process)
            predicted = {r["id"]: r for r in recs}
            info = f"extractor {ex.version} ({ex.mode}), {len(recs)} papers in {secs:.1f}s"
            if out is not None:
                with atomic_write(out) as fh:
                    for r in recs:
                        fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    except (GoldFileError, ValueError, OutputError) as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    remap_types(gold, types)
    remap_types(predicted, types)
    res = score(gold, predicted)
    if as_json:
        sys.stdout.write(json.dumps(res, indent=1) + "\n")
        return
    console = Console()
    console.print(_table(res, f"kg eval {gold_file}" + (f" --pred {pred}" if pred else "")))
    if info:
        console.print(info, style="dim")

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
from kg.cli.common import LEARNED_HELP, MODEL_HELP, learned_model
from kg.evaluate import (
    GoldFileError,
    errors,
    load_jsonl,
    parse_mapping,
    remap_types,
    score,
)
from kg.io import OutputError, atomic_write
from kg.model import Paper


def _extract(
    gold: dict[str, dict[str, Any]],
    gold_path: Path,
    model: str,
    n_process: int,
    learned: str | None = "default",
):
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
    ex = Extractor(model=model, learned=learned)
    t0 = time.perf_counter()
    out = [pe.to_dict() for pe in ex.extract(papers, n_process=n_process)]
    return out, ex, time.perf_counter() - t0


def _write_errors(path: Path, per_paper: list[dict[str, Any]], console: Console) -> None:
    """Write the papers that have errors, and say how many of each kind there are."""
    kinds = [k for k in (per_paper[0] if per_paper else {}) if k not in ("id", "title")]
    totals = {k: sum(len(p[k]) for p in per_paper) for k in kinds}
    wrong = [p for p in per_paper if any(p[k] for k in kinds)]
    with atomic_write(path) as fh:
        for p in wrong:
            fh.write(json.dumps(p, ensure_ascii=False) + "\n")
    summary = ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in totals.items())
    console.print(
        f"errors of {len(wrong)} of {len(per_paper)} papers written to {path}: {summary}",
        soft_wrap=True,
    )


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


def _graph_table(res: dict[str, Any], title: str) -> Table:
    from kg.graph_eval import TARGETS

    table = Table(title=title)
    for col in ("figure", "value", "target"):
        table.add_column(col, justify="left" if col == "figure" else "right")
    ok = "[green]ok[/green]"
    miss = "[red]missed[/red]"
    table.add_row(
        "split entities",
        str(res["splits"]),
        f"<= {TARGETS['splits']} " + (ok if res["splits"] <= TARGETS["splits"] else miss),
    )
    table.add_row(
        "type accuracy",
        f"{res['type_accuracy']:.3f} ({res['typed']} nodes)",
        f">= {TARGETS['type_accuracy']:.2f} "
        + (ok if res["type_accuracy"] >= TARGETS["type_accuracy"] else miss),
    )
    table.add_row(
        "junk nodes",
        str(res["junk"]),
        f"<= {TARGETS['junk']} " + (ok if res["junk"] <= TARGETS["junk"] else miss),
    )
    table.add_row("wrong merges", str(res["wrong_merges"]), "")
    table.add_row("junk aliases", str(res["junk_aliases"]), "")
    table.add_row("names with markup", str(res["markup_names"]), "")
    table.add_row("gold things not built", f"{res['missing']} of {res['things']}", "")
    table.caption = f"{res['scored']} of {res['nodes']} built nodes are named in the gold"
    return table


def _graph_details(console: Console, res: dict[str, Any]) -> None:
    d = res["details"]

    def node(n: dict[str, Any]) -> str:
        return f"{n['label']} [{n['type']}, {n['papers']} papers]"

    for s in d["splits"]:
        console.print(f"split: {s['canonical']}: " + "; ".join(node(n) for n in s["nodes"]))
    for j in d["junk"]:
        console.print(f"junk: {node(j)}")
    for t in d["type_errors"]:
        console.print(f"type: {node(t)} should be {t['gold']}")
    for w in d["wrong_merges"]:
        console.print(f"wrong merge: {node(w)} holds " + ", ".join(w["things"]))
    for a in d["junk_aliases"]:
        console.print(f"junk alias: {a['alias']!r} of {a['node']}")
    for m in d["markup_names"]:
        console.print(f"markup: {m['name']!r} of {m['node']}")


def _eval_graph(gold: Path, build: Path, as_json: bool, verbose: bool) -> None:
    from kg.graph_eval import evaluate_build
    from kg.store import StoreError

    err = Console(stderr=True)
    try:
        res = evaluate_build(gold, build)
    except (GoldFileError, StoreError) as exc:
        err.print(f"[red]error:[/red] {exc}", markup=True, highlight=False)
        raise typer.Exit(2) from exc
    if as_json:
        sys.stdout.write(json.dumps(res, indent=1, ensure_ascii=False) + "\n")
        return
    console = Console(highlight=False)
    console.print(_graph_table(res, f"kg eval --graph {gold} --build {build}"))
    if verbose:
        _graph_details(console, res)


@app.command("eval")
def eval_command(
    gold_file: Annotated[
        Path | None, typer.Argument(help="Gold JSONL (id, title, abstract, entities).")
    ] = None,
    pred: Annotated[
        Path | None, typer.Option("--pred", help="Score this prediction JSONL instead.")
    ] = None,
    model: Annotated[str, typer.Option("--model", help=MODEL_HELP)] = "auto",
    learned: Annotated[str, typer.Option(help=LEARNED_HELP)] = "default",
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
    mapping: Annotated[
        list[str] | None,
        typer.Option("--map", help="Rename a type in gold and predictions, e.g. Material=Dataset."),
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", help="Write the predictions made to this JSONL.")
    ] = None,
    n_process: Annotated[int, typer.Option("--n-process", help="Worker processes.")] = 1,
    errors_out: Annotated[
        Path | None,
        typer.Option(
            "--errors",
            help="Write each paper's errors to this JSONL: entities missed, spurious or "
            "of another type, proposed and relations missed or spurious.",
        ),
    ] = None,
    graph: Annotated[
        Path | None,
        typer.Option("--graph", help="Score a build's nodes against this graph gold instead."),
    ] = None,
    build: Annotated[
        Path, typer.Option("--build", help="Build folder whose store --graph scores.")
    ] = Path("output"),
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="With --graph: list every miss.")
    ] = False,
) -> None:
    """Precision, recall and F1 of extraction against a gold file.

    Matching is one-to-one within a paper (an unmerged alias is a false positive); strict means
    equal normalised names, lenient also accepts a word-set Jaccard >= 0.5 between any names;
    typed figures also need equal types. Details: kg.evaluate.

    With --graph GOLD, scores the entity nodes of a build (--build, default output/) against a
    graph gold keyed by names: split entities, junk nodes, type accuracy (kg.graph_eval).
    """
    err = Console(stderr=True)
    if graph is not None:
        if errors_out is not None:
            err.print("[red]error:[/red] --errors lists a gold file's misses; with --graph use -v")
            raise typer.Exit(2)
        _eval_graph(graph, build, as_json, verbose)
        return
    if gold_file is None:
        err.print("[red]error:[/red] give a gold file, or --graph GOLD to score a build")
        raise typer.Exit(2)
    try:
        types = parse_mapping(mapping or [])
        gold = load_jsonl(gold_file)
        info = ""
        if pred is not None:
            predicted = load_jsonl(pred)
        else:
            chosen = learned_model(learned)
            recs, ex, secs = _extract(gold, gold_file, model, n_process, chosen)
            predicted = {r["id"]: r for r in recs}
            info = f"extractor {ex.version} ({ex.mode}), {len(recs)} papers in {secs:.1f}s"
            if ex.mode == "learned":
                from kg.extract.learned.bundle import trained_ids

                seen = trained_ids(str(chosen)) & set(gold)
                if seen:
                    err.print(
                        f"[yellow]warning:[/yellow] {len(seen)} of {len(gold)} papers in "
                        f"{gold_file} are in the learned model's training data, so these "
                        "figures flatter it; its card has figures on papers it never saw "
                        "(rules only: --learned none)"
                    )
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
    if errors_out is not None:
        try:
            _write_errors(errors_out, errors(gold, predicted), err)
        except OutputError as exc:
            err.print(f"[red]error:[/red] {exc}")
            raise typer.Exit(2) from exc
    if as_json:
        sys.stdout.write(json.dumps(res, indent=1) + "\n")
        return
    console = Console()
    console.print(_table(res, f"kg eval {gold_file}" + (f" --pred {pred}" if pred else "")))
    if info:
        console.print(info, style="dim")

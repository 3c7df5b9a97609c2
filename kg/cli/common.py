"""Shared CLI helpers: consistent error output and exit codes."""

from __future__ import annotations

from collections.abc import Iterable

import typer
from rich.console import Console

console = Console(highlight=False)
err = Console(stderr=True, highlight=False)


def report_problems(problems: Iterable[object], limit: int = 20) -> int:
    """Print input problems (file:line: message) to stderr; return how many there were."""
    probs = list(problems)
    for p in probs[:limit]:
        err.print(f"[yellow]warning[/]: {p}", markup=True, highlight=False, soft_wrap=True)
    if len(probs) > limit:
        err.print(f"[yellow]warning[/]: ... and {len(probs) - limit} more problems")
    return len(probs)


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print an error and return the Exit to raise (``raise fail(...)``)."""
    err.print(f"[red]error[/]: {message}", soft_wrap=True)
    return typer.Exit(code)


#: Help of the ``--learned`` option shared by build, extract and eval.
LEARNED_HELP = (
    "Trained model that decides: a name under kg/models, a folder, or 'none' for the rules alone."
)
#: Help of the ``--model`` option shared by build, extract and eval.
MODEL_HELP = (
    "spaCy pipeline: 'auto' (the one the learned model was trained on; en_core_web_sm for "
    "the rules), a tagged model's name, or 'blank' for the fast rule-only mode."
)


def learned_model(value: str) -> str | None:
    """``--learned`` as the extractor takes it: None for 'none'; an error for a missing model."""
    if value.lower() in ("none", "rules", ""):
        return None
    from kg.extract.learned.bundle import DEFAULT_MODEL_NAME, ModelNotFound, require

    if value != DEFAULT_MODEL_NAME:
        try:
            require(value)
        except ModelNotFound as exc:
            raise fail(f"--learned {value}: {exc}") from exc
    return value

"""Command-line interface: a thin face over plain functions, one module per command."""

import warnings

from kg.cli import (  # noqa: F401  (importing registers the commands)
    build,
    eval,
    explain,
    export,
    extract,
    html,
    push,
    query,
    serve,
    train,
)
from kg.cli.app import app
from kg.cli.common import err


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    """Warnings as one line a user reads ("warning: ..."), not a source location."""
    err.print(f"[yellow]warning[/]: {message}", soft_wrap=True)


def main() -> None:
    warnings.showwarning = _show_warning
    app()

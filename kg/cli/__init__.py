"""Command-line interface: a thin face over plain functions, one module per command."""

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


def main() -> None:
    app()

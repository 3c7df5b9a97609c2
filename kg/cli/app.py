"""The typer application object; each command lives in its own module under ``kg.cli``."""

import typer

app = typer.Typer(
    name="kg",
    help="Build knowledge graphs of the ML literature from paper titles and abstracts.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

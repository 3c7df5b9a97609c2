"""Where the ontology files are: ``kg.ttl``, ``shapes.ttl`` and the named queries.

The repository keeps them in its top-level ``ontology/`` folder, the one source. A wheel ships
that folder inside the package as ``kg/ontology/`` (``pyproject.toml``, hatch's
``force-include``), so an installed kg finds them beside its code; a checkout or an editable
install reads ``ontology/`` itself. Nothing is copied into the source tree, so the two can
never drift.
"""

from __future__ import annotations

import functools
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def candidates() -> tuple[Path, Path]:
    """The folders looked in, in order: the copy inside the package, then the checkout's."""
    return _PACKAGE / "ontology", _PACKAGE.parent / "ontology"


@functools.cache
def ontology_dir() -> Path:
    """The folder holding ``kg.ttl``, ``shapes.ttl`` and ``queries/``."""
    for candidate in candidates():
        if (candidate / "kg.ttl").is_file() and (candidate / "queries").is_dir():
            return candidate
    looked = " and ".join(str(c) for c in candidates())
    raise FileNotFoundError(
        f"kg's ontology files are missing (looked in {looked}); reinstall kg from a wheel "
        "or run it from a checkout of the repository"
    )


def ontology_file(name: str) -> Path:
    """A file of the ontology folder (``kg.ttl``, ``shapes.ttl``, ``README.md``)."""
    return ontology_dir() / name


def queries_dir() -> Path:
    """The named example queries (``*.rq``)."""
    return ontology_dir() / "queries"

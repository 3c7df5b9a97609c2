"""Shared fixtures: the seed corpus is built once per test session, for real."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
DEV_GOLD = ROOT / "eval" / "dev.jsonl"
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def seed_report(tmp_path_factory):
    """A full `kg build seeds/` into a temporary output folder (default pipeline)."""
    from kg.builder import build

    out = tmp_path_factory.mktemp("seed_build")
    return build([SEEDS], out, workers=1)


@pytest.fixture(scope="session")
def seed_build(seed_report) -> Path:
    """The output folder of the seed build: graph.ttl, graph.jsonld, graph.html, store/, ..."""
    return Path(seed_report.outputs["extractions"]).parent


@pytest.fixture(scope="session")
def seed_graph(seed_build):
    """The seed build's networkx graph, rebuilt from its extractions.jsonl."""
    from kg.builder import graph_from_extractions

    return graph_from_extractions(seed_build / "extractions.jsonl")


@pytest.fixture(scope="module")
def mini_build(tmp_path_factory) -> Path:
    """A build of the small hand-made graph with hostile names (tests/rdf_helpers.py)."""
    from rdf_helpers import mini_graph

    from kg.outputs import write_outputs

    out = tmp_path_factory.mktemp("mini")
    write_outputs(mini_graph(), out)
    return out


def require_tool(name: str) -> str:
    """Path of a system tool, or skip the test saying which Debian package provides it."""
    packages = {
        "rapper": "raptor2-utils",
        "chromium": "chromium",
        "chromedriver": "chromium-driver",
    }
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} not installed (Debian package {packages.get(name, name)})")
    return path

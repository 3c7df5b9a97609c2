"""docs/from_python.ipynb is saved executed: every code cell ran, in order, without an error,
and it shows what the README promises (a chart of the top datasets, an explanation, a
networkx measure). Re-run it with `make notebook`."""

from __future__ import annotations

import json
from pathlib import Path

NOTEBOOK = Path(__file__).resolve().parent.parent / "docs" / "from_python.ipynb"


def _text(value: str | list[str]) -> str:
    return "".join(value) if isinstance(value, list) else value


def test_notebook_is_saved_executed_without_errors():
    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert code
    counts = [c["execution_count"] for c in code]
    assert counts == list(range(1, len(code) + 1)), "run top to bottom in one kernel"
    for cell in code:
        assert cell["outputs"], _text(cell["source"])[:60]
        assert all(o["output_type"] != "error" for o in cell["outputs"])


def test_notebook_shows_chart_explanation_and_networkx():
    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    sources = [_text(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]
    outputs = [o for c in nb["cells"] if c["cell_type"] == "code" for o in c["outputs"]]
    assert any("image/png" in o.get("data", {}) for o in outputs), "the bar chart"
    assert any("plot.barh" in s and "datasets-most-used" in "".join(sources) for s in sources)
    assert any("g.explain(" in s for s in sources)
    assert any("nx.betweenness_centrality" in s for s in sources)
    texts = [_text(o.get("text") or o.get("data", {}).get("text/plain", "")) for o in outputs]
    assert any("[Model]" in t and "used by" in t for t in texts), "kg explain's text"
    assert any("496 papers" in t for t in texts)

"""kg installs anywhere: the wheel works from any folder, CLI and Python API alike.

The standard tool (``python -m build``) makes an sdist and, from the sdist, the wheel. The wheel
is installed with pip into a new virtual environment outside the repository, and everything
runs from a folder outside the repository too, so nothing can come from the checkout: not the
code, not ``ontology/`` (the named queries and SHACL shapes), not the page's templates.

Installing kg's dependencies from the index into every new environment would take a minute
and hundreds of megabytes, so the new environment sees the development environment's
packages through a ``.pth`` line (dependencies only: a ``.pth`` path is not a site directory,
so the editable install's hook there never runs and the checkout stays off ``sys.path``). To
stay honest about dependencies, the checks running inside the new environment assert that
every requirement the wheel declares is installed at a version it accepts, and that every
module a build, a query and an export import belongs to kg's declared dependencies (walked
transitively) or the standard library.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(__file__).parent / "data" / "build" / "corpus.jsonl"

#: Runs inside the new environment, from the work folder; prints one JSON object.
CHECK = textwrap.dedent(
    """
    import importlib.metadata as md
    import json
    import re
    import sys
    import sysconfig

    import kg
    import kg.ontology_files

    report = kg.build("corpus.jsonl", out="api-out", html=True)
    g = kg.open("out")
    top = g.query("datasets-most-used")
    name = top[0]["name"]
    papers = g.query("entity-papers", name=name)
    G = g.to_networkx()
    explained = g.explain(name)
    star = g.query("SELECT * WHERE { ?s ?p ?o } LIMIT 1")
    from kg.rdf import validate  # the SHACL shapes shipped in the wheel

    shacl = validate("out/graph.ttl").conforms
    imported = {m.split(".")[0] for m in list(sys.modules)}  # before the checks import more

    def canonical(name):
        return re.sub(r"[-_.]+", "-", name).lower()

    def closure(dist_name):
        # kg's requirements, transitively: the distributions required, those only named as
        # optional (an extra, another platform) with what they require in turn, and the
        # requirements not met
        from packaging.requirements import Requirement

        required, optional, unmet = set(), set(), []
        todo = [(dist_name, "", True)]
        while todo:
            current, extra, needed = todo.pop()
            name = canonical(current)
            if name in required or (not needed and name in optional):
                continue
            (required if needed else optional).add(name)
            for text in md.requires(current) or []:
                req = Requirement(text)
                wanted = needed and not (req.marker and not req.marker.evaluate({"extra": extra}))
                try:
                    version = md.version(req.name)
                except md.PackageNotFoundError:
                    if wanted:
                        unmet.append(text)
                    else:
                        optional.add(canonical(req.name))
                    continue
                if wanted and not req.specifier.contains(version, prereleases=True):
                    unmet.append(f"{text} (installed {version})")
                todo.extend((req.name, e, wanted) for e in sorted(req.extras) or [""])
        return required, optional - required, unmet

    # A module is accounted for if a required distribution owns it, or a dependency names its
    # distribution as optional (jsonpickle tries yaml, rdflib tries html5rdf, igraph imports
    # matplotlib when it is there): what the development environment has on top is then
    # never what kg itself needs.
    required, optional, unmet = closure("kg")
    owners = md.packages_distributions()
    stdlib = sysconfig.get_path("stdlib")

    def accounted(name):
        file = getattr(sys.modules.get(name), "__file__", None)
        if name in sys.stdlib_module_names or name in ("kg", "__main__") or not file:
            return True  # the standard library, kg itself, or no file (cython_runtime)
        if file.startswith(stdlib):
            return True  # the standard library's own private modules
        return any(canonical(d) in required | optional for d in owners.get(name, []))

    outside = sorted(name for name in imported if not accounted(name))
    print(json.dumps({
        "kg_file": kg.__file__,
        "ontology": str(kg.ontology_files.ontology_dir()),
        "sys_path": sys.path,
        "kg_dist": str(md.distribution("kg").locate_file("")),
        "report": report.headline(),
        "api_papers": report.papers,
        "top": top.columns,
        "name": name,
        "papers": len(papers),
        "nodes": G.number_of_nodes(),
        "edges": G.number_of_edges(),
        "node_kinds": sorted({d["kind"] for _, d in G.nodes(data=True)}),
        "explained": [r.label for r in explained],
        "star": star.columns,
        "shacl": shacl,
        "unmet": unmet,
        "outside": outside,
    }))
    """
)


def _run(cmd: list[str | Path], cwd: Path, **kw) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["COLUMNS"] = "200"
    res = subprocess.run(
        [str(c) for c in cmd], cwd=cwd, capture_output=True, text=True, env=env, **kw
    )
    assert res.returncode == 0, f"{cmd} failed:\n{res.stdout}\n{res.stderr}"
    return res


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> tuple[Path, Path]:
    """(bin folder of the new environment, work folder); both outside the repository."""
    root = tmp_path_factory.mktemp("wheel")
    assert not root.resolve().is_relative_to(ROOT)
    dist = root / "dist"
    _run([sys.executable, "-m", "build", "--outdir", dist, ROOT], cwd=root)
    (wheel,) = dist.glob("kg-*.whl")
    (sdist,) = dist.glob("kg-*.tar.gz")
    assert sdist.stat().st_size > 0

    venv = root / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", venv], cwd=root)
    bin_dir = venv / "bin"
    python = bin_dir / "python"
    # pip from this environment installs into the new one (--python), the wheel alone.
    _run(
        [sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", wheel],
        cwd=root,
    )
    purelib = Path(
        _run(
            [python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], root
        ).stdout.strip()
    )
    # kg's dependencies: the development environment's site-packages as a plain path.
    ours = {sysconfig.get_path("purelib"), sysconfig.get_path("platlib")}
    (purelib / "zz_kg_dependencies.pth").write_text("\n".join(sorted(ours)) + "\n")

    work = root / "work"
    work.mkdir()
    shutil.copy(CORPUS, work / "corpus.jsonl")
    return bin_dir, work


def test_wheel_ships_the_ontology_and_assets(installed):
    import zipfile

    bin_dir, _ = installed
    wheel = next((bin_dir.parent.parent / "dist").glob("kg-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for rel in ("kg.ttl", "shapes.ttl", "queries/datasets-most-used.rq"):
        assert f"kg/ontology/{rel}" in names
        shipped = zipfile.ZipFile(wheel).read(f"kg/ontology/{rel}")
        assert shipped == (ROOT / "ontology" / rel).read_bytes()  # the one source, unchanged
    assert {"kg/templates/graph.html.j2", "kg/static/graph.js", "kg/data/gazetteer.tsv"} <= names


def test_cli_from_another_folder(installed):
    bin_dir, work = installed
    kg = bin_dir / "kg"
    assert kg.read_text(encoding="utf-8").startswith(f"#!{bin_dir}")  # pip's console script
    built = _run([kg, "build", "corpus.jsonl", "--out", "out"], cwd=work)
    assert "14 papers" in built.stdout
    for name in ("graph.ttl", "graph.nt", "graph.jsonld", "graph.html", "store"):
        assert (work / "out" / name).exists(), name

    listed = _run([kg, "query", "--list"], cwd=work)
    for rq in (ROOT / "ontology" / "queries").glob("*.rq"):
        assert rq.stem in listed.stdout

    top = _run([kg, "query", "datasets-most-used", "--out", "out", "-f", "json"], cwd=work)
    name = json.loads(top.stdout)["results"]["bindings"][0]["name"]["value"]
    papers = _run(
        [kg, "query", "entity-papers", "--out", "out", "-p", f"name={name}", "-f", "csv"],
        cwd=work,
    )
    rows = papers.stdout.splitlines()
    assert rows[0] == "paper,title,role,surface,confidence" and len(rows) > 1

    explained = _run([kg, "explain", name, "--out", "out"], cwd=work)
    assert explained.stdout.startswith(name)


def test_python_api_from_another_folder(installed):
    bin_dir, work = installed
    if not (work / "out" / "store").is_dir():
        _run([bin_dir / "kg", "build", "corpus.jsonl", "--out", "out"], cwd=work)
    res = _run([bin_dir / "python", "-c", CHECK], cwd=work)
    got = json.loads(res.stdout.strip().splitlines()[-1])
    site = str(bin_dir.parent)
    assert got["kg_file"].startswith(site), got["kg_file"]
    assert got["ontology"].startswith(site) and got["ontology"].endswith("kg/ontology")
    assert got["kg_dist"].startswith(site)
    # The checkout is not on sys.path (the development environment's packages are).
    assert str(ROOT) not in {str(Path(p).resolve()) for p in got["sys_path"][1:] if p}
    assert got["api_papers"] == 14 and "14 papers" in got["report"]
    assert got["top"] == ["dataset", "name", "papers"]
    assert got["papers"] >= 1
    assert got["nodes"] > 14 and got["edges"] > 0
    assert got["node_kinds"] == ["entity", "paper"]
    assert got["explained"] and got["explained"][0].casefold() == got["name"].casefold()
    assert got["star"] == ["s", "p", "o"]
    assert got["shacl"] is True
    assert got["unmet"] == [], "requirements the wheel declares are not installed"
    assert got["outside"] == [], "kg imported modules outside its declared dependencies"

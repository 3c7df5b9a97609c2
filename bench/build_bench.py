"""Build benchmark: full builds of 1k/10k/100k synthetic abstracts, then a 1% incremental re-build.

The synthetic corpus is made from the seed sentences: each abstract is a random run of seed
sentences (so extraction meets real ML text), each title a seed title with a number. Every
build runs `kg build` in a fresh process, so peak memory (max RSS of the child) is the build's
own. Usage:

    python bench/build_bench.py [--sizes 1000 10000 100000] [--workers 2] [--model en_core_web_sm]
                                [--html]

Targets (issue 5, 2-core machine): 100,000 abstracts in under 20 minutes with peak memory under
4 GB; the 1% re-build in under 5% of the full build's time. With ``--html`` both builds also
draw the page (graph.html, capped at 5,000 nodes); target (issue 12): the 1% re-build with the
page under 10% of the full build with the page.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SENT_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


def seed_material() -> tuple[list[str], list[str]]:
    from kg.ingest import read_inputs

    papers = read_inputs([ROOT / "seeds"]).papers
    titles = [p.title for p in papers]
    sentences = [s for p in papers for s in SENT_SPLIT.split(p.abstract) if len(s) > 30]
    return titles, sentences


def write_corpus(path: Path, n: int, start: int, titles: list[str], sents: list[str]) -> None:
    rng = random.Random(start * 7919 + n)
    with path.open("w", encoding="utf-8") as fh:
        for i in range(start, start + n):
            k = rng.randint(4, 9)
            rec = {
                "id": f"syn{i:07d}",
                "title": f"{rng.choice(titles)} ({i})",
                "abstract": " ".join(rng.choice(sents) for _ in range(k)),
            }
            fh.write(json.dumps(rec) + "\n")


def run_build(
    inputs: list[Path], out: Path, workers: int, model: str, html: bool = False
) -> tuple[float, float, str]:
    """Wall seconds, peak memory (MB, summed RSS of the build and its worker processes) and
    the build's own account of its time by stage."""
    import psutil

    cmd = [
        sys.executable,
        "-m",
        "kg",
        "build",
        *map(str, inputs),
        "--out",
        str(out),
        "--workers",
        str(workers),
        "--model",
        model,
        *([] if html else ["--no-html"]),
    ]
    env = {**os.environ, "COLUMNS": "200"}
    with tempfile.TemporaryFile("w+", encoding="utf-8") as log:
        t = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=log, env=env)
        ps = psutil.Process(proc.pid)
        peak = 0
        while proc.poll() is None:
            try:
                tree = [ps, *ps.children(recursive=True)]
                peak = max(peak, sum(p.memory_info().rss for p in tree))
            except psutil.Error:
                pass
            time.sleep(0.2)
        wall = time.perf_counter() - t
        if proc.returncode:
            raise SystemExit(f"kg build failed with exit code {proc.returncode}")
        log.seek(0)
        text = log.read()
    stages = " ".join(ln.strip() for ln in text.splitlines() if ln.startswith(("time:", "RDF")))
    reused = re.search(r"RDF of (\d+) papers reused", text)
    return wall, peak / 1e6, (f"[{reused.group(1)} reused] " if reused else "") + stages


def sizes_of(out: Path) -> str:
    parts = []
    for name in ("graph.ttl", "graph.nt", "graph.jsonld", "graph.html", "store"):
        p = out / name
        if p.is_dir():
            size = sum(f.stat().st_size for f in p.rglob("*") if f.is_file())
        elif p.exists():
            size = p.stat().st_size
        else:
            continue
        parts.append(f"{name} {size / 1e6:.1f}MB")
    return ", ".join(parts)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--model", default="en_core_web_sm")
    ap.add_argument("--html", action="store_true", help="draw the page in both builds too")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folders")
    args = ap.parse_args()

    titles, sents = seed_material()
    print(
        f"seed material: {len(titles)} titles, {len(sents)} sentences; model={args.model}, "
        f"workers={args.workers}, page {'drawn' if args.html else 'left out (--no-html)'}"
    )
    print(
        f"{'abstracts':>10} {'wall s':>8} {'abs/s':>8} {'peak MB':>8} {'+1% s':>7} "
        f"{'+1% share':>9}  outputs"
    )
    for n in args.sizes:
        tmp = Path(tempfile.mkdtemp(prefix=f"kg-bench-{n}-"))
        base, extra, out = tmp / "base.jsonl", tmp / "extra.jsonl", tmp / "out"
        write_corpus(base, n, 0, titles, sents)
        wall, peak, full_stages = run_build([base], out, args.workers, args.model, args.html)
        write_corpus(extra, max(1, n // 100), n, titles, sents)
        inc, inc_peak, inc_stages = run_build(
            [base, extra], out, args.workers, args.model, args.html
        )
        print(
            f"{n:>10} {wall:>8.1f} {n / wall:>8.1f} {peak:>8.0f} {inc:>7.1f} "
            f"{inc / wall:>9.1%}  {sizes_of(out)}",
            flush=True,
        )
        print(f"{'':>10} full build: {full_stages}", flush=True)
        print(f"{'':>10} +1% build:  {inc_stages}; peak {inc_peak:.0f} MB", flush=True)
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()

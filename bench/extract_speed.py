"""Extraction speed and memory: the learned default, the tagged rules and the rule-only mode.

The learned default runs on the pipeline its model was trained on (``--model auto``).

Usage: .venv/bin/python bench/extract_speed.py [--repeat N] [--gold eval/heldout.jsonl]

Each mode runs in its own subprocess so that its peak memory (the process and its workers) is
measured alone. Wall-clock speed depends on what else the machine runs, so the CPU time per
abstract (the process and its workers) is printed too, with the rate it allows on idle cores.
Speed is abstracts per second over the 496 seed papers (read with
``kg.ingest.read_inputs(["seeds"])``), after the pipeline is loaded; ``--repeat`` runs the corpus
several times for a steadier figure. F1 is ``kg.evaluate`` lenient on the gold file: by default
``eval/heldout.jsonl``, which no mode was trained or tuned on (the learned model trains on the
dev file, so its dev figure would flatter it).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: (label, spaCy pipeline, learned model or "none", processes)
MODES = (
    ("default", "auto", "default", 2),
    ("default", "auto", "default", 1),
    ("rules", "en_core_web_sm", "none", 2),
    ("rule-only", "blank", "none", 1),
    ("rule-only", "blank", "none", 2),
)


def _papers():
    sys.path.insert(0, str(ROOT))
    try:
        from kg.ingest import read_inputs

        return read_inputs([str(ROOT / "seeds")]).papers
    except ImportError:  # before kg.ingest existed: the dev gold's titles and abstracts
        from kg.model import Paper

        recs = [json.loads(x) for x in (ROOT / "eval" / "dev.jsonl").open(encoding="utf-8")]
        return [Paper(r["id"], r["title"], r["abstract"]) for r in recs]


def _cpu_seconds() -> float:
    """CPU time of this process and its finished worker processes."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def run_one(model: str, learned: str, n_process: int, repeat: int, gold: Path) -> dict:
    """Measure one mode in this process; returns the figures as a dict."""
    sys.path.insert(0, str(ROOT))
    from kg.evaluate import load_jsonl, score
    from kg.extract import Extractor
    from kg.model import Paper

    papers = _papers()
    t_load = time.perf_counter()
    ex = Extractor(model=model, learned=None if learned == "none" else learned)
    load_s = time.perf_counter() - t_load
    # warm-up on a few papers (first-call costs are not throughput)
    list(ex.extract(papers[:8]))
    cpu0 = _cpu_seconds()
    t0 = time.perf_counter()
    n = 0
    # one stream of repeat x the corpus, as a build over a large input would run
    for _pe in ex.extract(papers * repeat, n_process=n_process, batch_size=32):
        n += 1
    secs = time.perf_counter() - t0
    cpu = _cpu_seconds() - cpu0
    g = load_jsonl(gold)
    gp = [Paper(pid, r.get("title", ""), r.get("abstract", "")) for pid, r in g.items()]
    pred = {pe.paper.id: pe.to_dict() for pe in ex.extract(gp)}
    res = score(g, pred)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    child_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {
        "mode": ex.mode,
        "model": ex.model,
        "n_process": n_process,
        "papers": n,
        "seconds": round(secs, 2),
        "abstracts_per_s": round(n / secs, 1),
        "cpu_ms_per_abstract": round(1000 * cpu / n, 2),
        # what the run's CPU cost allows when its n_process cores are not shared
        "idle_estimate_per_s": round(n_process * n / cpu, 1),
        "load_s": round(load_s, 2),
        "peak_rss_mb": round(peak_kb / 1024, 1),
        "peak_worker_rss_mb": round(child_kb / 1024, 1),
        "f1_untyped": res["lenient"]["f1"],
        "f1_typed": res["lenient_typed"]["f1"],
        "f1_relations": res["relations"]["f1"],
        "f1_proposed": res["proposed"]["f1"],
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--gold", type=Path, default=ROOT / "eval" / "heldout.jsonl")
    ap.add_argument(
        "--one", nargs=3, metavar=("MODEL", "LEARNED", "N_PROCESS"), help=argparse.SUPPRESS
    )
    args = ap.parse_args()
    if args.one:
        res = run_one(args.one[0], args.one[1], int(args.one[2]), args.repeat, args.gold)
        print(json.dumps(res))
        return
    rows = []
    for label, model, learned, n_proc in MODES:
        cmd = [sys.executable, __file__, "--one", model, learned, str(n_proc)]
        cmd += ["--repeat", str(args.repeat)]
        cmd += ["--gold", str(args.gold)]
        out = subprocess.run(cmd, capture_output=True, text=True, check=True, cwd=ROOT)
        res = json.loads(out.stdout.strip().splitlines()[-1])
        res["label"] = label
        rows.append(res)
    head = (
        f"{'mode':10} {'pipeline':24} {'proc':>4} {'abs/s':>7} {'CPU ms/abs':>10} "
        f"{'idle abs/s':>10} {'peak MB':>8} {'workers MB':>10} "
        f"{'F1 unt':>6} {'F1 typ':>6} {'F1 rel':>6} {'F1 prop':>7}"
    )
    load = os.getloadavg()[0]
    print(
        f"extraction speed on {rows[0]['papers'] // args.repeat} seed abstracts x {args.repeat}"
        f" ({os.cpu_count()} cores, load average {load:.2f} at the end; 'idle abs/s' is what the"
        " measured CPU cost allows on unshared cores)"
    )
    print(head)
    for r in rows:
        print(
            f"{r['label']:10} {r['model']:24} {r['n_process']:>4} {r['abstracts_per_s']:>7} "
            f"{r['cpu_ms_per_abstract']:>10} {r['idle_estimate_per_s']:>10} {r['peak_rss_mb']:>8} "
            f"{r['peak_worker_rss_mb']:>10} {r['f1_untyped']:>6} "
            f"{r['f1_typed']:>6} {r['f1_relations']:>6} {r['f1_proposed']:>7}"
        )


if __name__ == "__main__":
    main()

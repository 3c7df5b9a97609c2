"""Instructions per abstract of extraction, counted by Valgrind: a speed figure that does not
move with the machine's load.

Usage: .venv/bin/python bench/extract_instructions.py [--model blank] [--learned none] [-n 496]

Wall-clock and CPU time on a shared machine vary by a tenth or more from run to run, which hides
a change of a few percent. Valgrind's ``callgrind`` counts the instructions the process runs
(the same count on a busy or an idle machine). The script counts a run that loads the pipeline
and extracts nothing, and a run that also extracts the first ``n`` seed abstracts once, in one
process, as new text (a worker's first pass): the difference divided by ``n`` is the figure.
Each run takes a few minutes (Valgrind runs Python about fifty times slower).
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_COLLECTED = re.compile(r"Collected : (\d+)")


def run_one(model: str, learned: str, n: int) -> None:
    """Load the pipeline, warm it on 8 abstracts, extract ``n`` more (run under Valgrind)."""
    sys.path.insert(0, str(ROOT))
    from kg.extract import Extractor
    from kg.ingest import read_inputs

    papers = read_inputs([str(ROOT / "seeds")]).papers
    ex = Extractor(model=model, learned=None if learned == "none" else learned)
    list(ex.extract(papers[:8]))
    for _ in ex.extract(papers[8 : 8 + n], batch_size=32):
        pass


def count(model: str, learned: str, n: int) -> int:
    """Instructions of one ``run_one`` under callgrind."""
    cmd = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable]
    cmd += [__file__, "--one", "--model", model, "--learned", learned, "-n", str(n)]
    out = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, check=True)
    found = _COLLECTED.findall(out.stderr)
    if not found:
        raise SystemExit(f"no instruction count in Valgrind's output:\n{out.stderr[-2000:]}")
    return int(found[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default="blank", help="spaCy pipeline (default: blank)")
    ap.add_argument("--learned", default="none", help="learned model or none (default: none)")
    ap.add_argument("-n", type=int, default=488, help="abstracts to extract (default: 488)")
    ap.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        run_one(args.model, args.learned, args.n)
        return
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed (Debian: apt-get install valgrind)")
    base = count(args.model, args.learned, 0)
    full = count(args.model, args.learned, args.n)
    per = (full - base) / max(1, args.n)
    print(
        f"extraction ({args.model}, learned {args.learned}), {args.n} seed abstracts as new text,"
        f" one process: {per / 1e6:.2f} M instructions per abstract"
        f" (load and warm-up {base / 1e9:.2f} G, with extraction {full / 1e9:.2f} G)"
    )


if __name__ == "__main__":
    main()

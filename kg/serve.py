"""A read-only SPARQL 1.1 Protocol endpoint over a build's store, served by Oxigraph's server.

The ``oxigraph`` package (a dependency) ships the server binary; ``serve-read-only`` answers
queries at ``/query`` (JSON, XML, CSV or TSV results by Accept header), refuses updates, and
enforces a per-query timeout. We only find the binary and the store and start it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from kg.store import StoreError, store_path

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7878
DEFAULT_TIMEOUT_S = 30


class ServeError(Exception):
    """The server cannot start; the message says why and what to do."""


def find_oxigraph() -> str:
    """Path of the ``oxigraph`` server binary: beside this Python first, then on PATH."""
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.is_file():
        return str(beside)
    found = shutil.which("oxigraph")
    if found:
        return found
    raise ServeError(
        "the Oxigraph server binary is not installed: `pip install oxigraph` (a kg dependency)"
    )


def command(
    out: str | Path,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    timeout_s: int = DEFAULT_TIMEOUT_S,
    cors: bool = False,
) -> list[str]:
    """The server command line for the store of build ``out``."""
    location = store_path(out)
    if not location.is_dir():
        raise StoreError(f"no Oxigraph store at {location}: run `kg build` first")
    bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    cmd = [find_oxigraph(), "serve-read-only", "--location", str(location), "--bind", bind]
    cmd += ["--timeout-s", str(int(timeout_s))]
    if cors:
        cmd.append("--cors")
    return cmd


def endpoint_url(host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> str:
    h = f"[{host}]" if ":" in host else host
    return f"http://{h}:{port}/query"


def start(
    out: str | Path,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    timeout_s: int = DEFAULT_TIMEOUT_S,
    wait: float = 20.0,
) -> subprocess.Popen:
    """Start the endpoint in the background and return once it answers (for tests, scripts)."""
    proc = subprocess.Popen(
        command(out, host, port, timeout_s),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        wait_ready(endpoint_url(host, port), wait, proc)
    except BaseException:
        stop(proc)
        raise
    return proc


def wait_ready(url: str, wait: float, proc: subprocess.Popen | None = None) -> None:
    """Poll ``url`` with ASK {} until the server answers or ``wait`` seconds pass."""
    deadline = time.monotonic() + wait
    probe = url + "?query=ASK%7B%7D"
    while True:
        if proc is not None and proc.poll() is not None:
            err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
            raise ServeError(f"the SPARQL server exited ({proc.returncode}): {err.strip()}")
        try:
            with urllib.request.urlopen(probe, timeout=2) as resp:
                if resp.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        if time.monotonic() > deadline:
            raise ServeError(f"the SPARQL server at {url} did not answer within {wait:.0f} s")
        time.sleep(0.1)


def stop(proc: subprocess.Popen) -> None:
    """Stop a server started by :func:`start`."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    if proc.stderr:
        proc.stderr.close()


def serve_forever(cmd: list[str]) -> None:
    """Become the server: exec the command from :func:`command` in place of this process.

    ``kg serve`` then *is* the Oxigraph server, so Ctrl-C or a SIGTERM from a supervisor stops
    it directly and no orphaned server outlives the command.
    """
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(cmd[0], cmd)

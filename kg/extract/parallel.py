"""Extraction in several processes that send back only the small result dicts.

``nlp.pipe(n_process=...)`` ships every processed ``Doc`` back to the parent (about 1.7 ms to
serialise and as much to rebuild per abstract, in the single parent process), which here made
two processes slower than one. Extraction needs only ``doc._.kg_result``, so workers return
that (a few hundred bytes of plain data) and the parent never rebuilds a Doc. Each worker runs
the same pipeline object: inherited by fork where available, rebuilt from its arguments under
spawn. Results come back in input order; at most ``2 * n_process`` chunks are in flight, so
memory stays flat on long inputs.
"""

from __future__ import annotations

import multiprocessing as mp
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import Any

from spacy.language import Language

_WORKER_NLP: Language | None = None


def _init_worker(build: Callable[..., Language] | None, args: tuple[Any, ...]) -> None:
    global _WORKER_NLP
    if build is not None:
        _WORKER_NLP = build(*args)


def _run_chunk(texts: list[str]) -> list[dict]:
    assert _WORKER_NLP is not None, "worker pipeline not initialised"
    return [doc._.kg_result or {} for doc in _WORKER_NLP.pipe(texts, batch_size=len(texts))]


def _chunks(texts: Iterable[str], size: int) -> Iterator[list[str]]:
    it = iter(texts)
    while chunk := list(islice(it, size)):
        yield chunk


def parallel_results(
    nlp: Language,
    texts: Iterable[str],
    n_process: int,
    batch_size: int,
    build: Callable[..., Language],
    build_args: tuple[Any, ...],
) -> Iterator[dict]:
    """``doc._.kg_result`` for each text, in order, computed by ``n_process`` workers."""
    global _WORKER_NLP
    methods = mp.get_all_start_methods()
    if "fork" in methods:
        ctx = mp.get_context("fork")
        _WORKER_NLP = nlp  # children inherit the loaded pipeline
        init_args: tuple[Any, ...] = (None, ())
    else:
        ctx = mp.get_context("spawn")
        init_args = (build, build_args)
    with ctx.Pool(n_process, initializer=_init_worker, initargs=init_args) as pool:
        in_flight: deque = deque()
        for chunk in _chunks(texts, max(1, batch_size)):
            in_flight.append(pool.apply_async(_run_chunk, (chunk,)))
            if len(in_flight) >= 2 * n_process:
                yield from in_flight.popleft().get()
        while in_flight:
            yield from in_flight.popleft().get()

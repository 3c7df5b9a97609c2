"""Extraction on a Dask distributed cluster, for corpora beyond one machine.

The input is cut into partitions; each worker loads the spaCy pipeline once (cached per worker
process) and returns plain dicts, which are turned back into ``PaperExtraction`` here. Results
come back in input order, so a Dask build equals a local one.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import lru_cache

from kg.model import Paper, PaperExtraction

DEFAULT_PARTITION = 200


@lru_cache(maxsize=4)
def _worker_extractor(model: str, learned: str | None):
    from kg.extract import Extractor

    return Extractor(model=model, learned=learned)


def _extract_partition(records: list[dict], model: str, learned: str | None) -> list[dict]:
    """Runs on a worker: dicts in, dicts out (cheap to serialise, no spaCy objects)."""
    ex = _worker_extractor(model, learned)
    papers = [Paper.from_dict(r) for r in records]
    return [pe.to_dict() for pe in ex.extract(papers)]


def extract_on_dask(
    papers: Sequence[Paper],
    address: str,
    *,
    model: str = "auto",
    learned: str | None = "default",
    partition_size: int = DEFAULT_PARTITION,
) -> Iterator[PaperExtraction]:
    """Extract ``papers`` on the cluster at ``address`` ("local" starts a LocalCluster)."""
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError as exc:  # pragma: no cover - depends on the optional extra
        raise RuntimeError("--dask needs the dask extra: pip install 'kg[dask]'") from exc

    cluster = None
    if address == "local":
        cluster = LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None)
        client = Client(cluster)
    else:
        client = Client(address)
    try:
        parts = [
            [p.to_dict() for p in papers[i : i + partition_size]]
            for i in range(0, len(papers), partition_size)
        ]
        futures = client.map(_extract_partition, parts, model=model, learned=learned, pure=False)
        for fut in futures:  # in input order
            for d in fut.result():
                yield PaperExtraction.from_dict(d)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()

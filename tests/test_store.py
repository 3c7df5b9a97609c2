"""kg.store: the persistent Oxigraph store a build writes and every reader opens."""

from __future__ import annotations

import os
import stat

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from kg import store


def _dump(st) -> Graph:
    data = st.dump(format=store.ox.RdfFormat.N_TRIPLES, from_graph=store.ox.DefaultGraph())
    return Graph().parse(data=data.decode("utf-8"), format="nt")


def test_readers_share_the_store(mini_build):
    """Two read-only opens at once (kg serve and kg query side by side) both work."""
    a, b = store.open_store(mini_build), store.open_store(mini_build)
    assert store.count_triples(a) == store.count_triples(b) > 0


def test_store_is_read_only_when_opened_for_reading(mini_build):
    st = store.open_store(mini_build)
    with pytest.raises((OSError, RuntimeError), match="read-write"):
        st.update("INSERT DATA { <http://a> <http://b> <http://c> }")


def test_store_holds_exactly_the_ntriples(mini_build):
    expected = Graph().parse(mini_build / "graph.nt", format="nt")
    assert isomorphic(_dump(store.open_store(mini_build)), expected)


def test_store_path_accepts_build_or_store_folder(mini_build):
    assert store.store_path(mini_build) == mini_build / "store"
    assert store.store_path(mini_build / "store") == mini_build / "store"
    assert store.count_triples(store.open_store(mini_build / "store")) > 0


def test_store_folder_is_readable_by_others(mini_build):
    """mkdtemp makes 0700 folders; the build's store must follow the umask like other outputs."""
    mask = os.umask(0)
    os.umask(mask)
    mode = stat.S_IMODE((mini_build / "store").stat().st_mode)
    assert mode == 0o777 & ~mask


@pytest.mark.parametrize("name", ["graph.ttl", "graph.nt", "graph.jsonld"])
def test_load_file_fallback(mini_build, name):
    """--graph FILE: the file is parsed into an in-memory store with the same triples."""
    expected = Graph().parse(mini_build / "graph.nt", format="nt")
    assert isomorphic(_dump(store.load_file(mini_build / name)), expected)


def test_load_file_errors_name_the_file(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix x: <http://x/> .\nx:a x:b .\n", encoding="utf-8")
    with pytest.raises(store.StoreError, match="bad.ttl"):
        store.load_file(bad)
    with pytest.raises(store.StoreError, match="no such file"):
        store.load_file(tmp_path / "missing.nt")
    docx = tmp_path / "graph.docx"
    docx.write_bytes(b"PK")
    with pytest.raises(store.StoreError, match="unknown RDF file type"):
        store.load_file(docx)


def test_build_store_from_turtle(mini_build, tmp_path):
    dest = store.build_store(mini_build / "graph.ttl", tmp_path / "s")
    assert store.count_triples(store.open_store(dest)) == store.count_triples(
        store.open_store(mini_build)
    )

"""Atomic writes: the old file survives any failure; a new file gets normal permissions."""

from __future__ import annotations

import os
import stat

import pytest

from kg.io import OutputError, atomic_write, atomic_write_text


def test_failure_midway_keeps_old_content_and_leaves_no_temp(tmp_path):
    target = tmp_path / "graph.ttl"
    target.write_text("old")
    with pytest.raises(RuntimeError), atomic_write(target) as fh:
        fh.write("half of the new")
        raise RuntimeError("boom")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["graph.ttl"]


def test_written_file_honours_umask(tmp_path):
    target = tmp_path / "x.txt"
    atomic_write_text(target, "hello")
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~mask
    assert target.read_text() == "hello"


def test_unwritable_place_names_the_path(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(OutputError, match=str(blocker)):
        atomic_write_text(blocker / "out.ttl", "data")

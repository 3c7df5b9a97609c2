"""The extraction cache: hits by content and extractor version, reports what changed."""

from __future__ import annotations

from kg.cache import ExtractionCache
from kg.model import Evidence, ExtractedEntity, Paper, PaperExtraction


def _paper(pid: str, abstract: str) -> Paper:
    return Paper(id=pid, title=f"Title {pid}", abstract=abstract)


def test_put_get_roundtrip_and_version_miss(tmp_path):
    p = _paper("a", "We use BERT.")
    ev = Evidence("We use BERT.", 16, 20, 9)
    pe = PaperExtraction(p, [ExtractedEntity("BERT", "Model", mentions=[ev])])
    with ExtractionCache(tmp_path / "c.sqlite") as c:
        assert c.missing([p], "v1") == [p]
        c.put([pe], "v1")
        assert c.missing([p], "v1") == []
        assert c.missing([p], "v2") == [p]
        got = c.get(p, "v1")
    assert got.entities[0].name == "BERT" and got.entities[0].mentions == [ev]


def test_changes_against_previous_manifest(tmp_path):
    a, b, c = _paper("a", "x"), _paper("b", "y"), _paper("c", "z")
    with ExtractionCache(tmp_path / "c.sqlite") as cache:
        first = cache.changes([a, b])
        assert first.new == ["a", "b"] and not first.removed
        cache.set_manifest([a, b])
    with ExtractionCache(tmp_path / "c.sqlite") as cache:
        ch = cache.changes([_paper("a", "x2"), c])
    assert ch.changed == ["a"] and ch.new == ["c"] and ch.removed == ["b"]


def test_prune_drops_other_extractor_versions(tmp_path):
    p = _paper("a", "We use BERT.")
    with ExtractionCache(tmp_path / "c.sqlite") as c:
        c.put([PaperExtraction(p)], "old")
        c.put([PaperExtraction(p)], "new")
        c.prune("new")
        assert c.missing([p], "old") == [p] and c.missing([p], "new") == []


def test_names_are_read_apart_from_the_evidence_and_refilled_if_missing(tmp_path):
    p = _paper("a", "We use BERT (Bidirectional Encoder) and SQuAD.")
    ev = Evidence(p.abstract, 16, 20, 9)
    pe = PaperExtraction(
        p,
        [
            ExtractedEntity(
                "Bidirectional Encoder", "Model", "proposed", ["BERT"], 0.91234567, [ev]
            ),
            ExtractedEntity("SQuAD", "Dataset", mentions=[ev]),
        ],
    )
    with ExtractionCache(tmp_path / "c.sqlite") as c:
        c.put([pe], "v1")
        (rec,) = c.names([p], "v1")
        # a cache written before the names table existed: filled in from the extractions
        c.db.execute("DELETE FROM names")
        (again,) = c.names([p], "v1")
        assert c.db.execute("SELECT COUNT(*) FROM names").fetchone()[0] == 1
    assert rec == again
    assert rec.paper_id == "a"
    first = rec.entities[0]
    assert (first.name, first.type, first.role, first.aliases) == (
        "Bidirectional Encoder",
        "Model",
        "proposed",
        ["BERT"],
    )
    assert first.confidence == 0.9123

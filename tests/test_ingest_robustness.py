"""Bad and odd input, each on a real file in tests/data/ingest (see make_inputs.py there).

Every case checks the message names the file and line, and that good records (in the same
file where the format allows, else in the other files of the same call) are still read.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.ingest import IngestError, IngestResult, Problem, read_inputs

DATA = Path(__file__).resolve().parent / "data" / "ingest"
GOOD = DATA / "good.jsonl"


def _only(res: IngestResult, fatal: bool | None = None) -> list[Problem]:
    return [p for p in res.problems if fatal is None or p.fatal == fatal]


def _msg(path: Path, line: int, text: str) -> str:
    return f"{path}:{line}: {text}"


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("empty.jsonl", "empty file; file skipped"),
        ("binary.jsonl", "binary file (a gzip archive), not text; file skipped"),
        ("nul.txt", "binary file (NUL byte at offset 0), not text; file skipped"),
    ],
)
def test_unreadable_file_is_one_fatal_problem_and_other_files_still_read(name, reason):
    bad = DATA / name
    res = read_inputs([bad, GOOD])
    assert [str(p) for p in res.problems] == [_msg(bad, 0, reason)]
    assert res.problems[0].fatal
    assert [p.id for p in res.papers] == ["p1", res.papers[1].id, "42"]
    assert res.stats["files"] == 2 and res.stats["failed_files"] == 1
    with pytest.raises(IngestError, match=str(bad)):
        read_inputs([bad, GOOD], strict=True)


def test_latin1_falls_back_with_a_warning_naming_the_line():
    path = DATA / "latin1.csv"
    res = read_inputs([path])
    (warn,) = res.problems
    assert not warn.fatal
    assert str(warn).startswith(_msg(path, 2, "not valid UTF-8"))
    assert "read as Windows-1252" in warn.message
    (paper,) = res.papers
    assert (paper.id, paper.title, paper.abstract) == ("l1", "Café Résumé Naïve", "Über schön.")


@pytest.mark.parametrize("name", ["utf16.jsonl", "utf16le_nobom.jsonl"])
def test_utf16(name):
    res = read_inputs([DATA / name])
    (paper,) = res.papers
    expected = json.loads(
        (DATA / name).read_bytes().decode("utf-16-le" if "nobom" in name else "utf-16")
    )
    assert (paper.id, paper.title, paper.abstract) == (
        expected["id"],
        expected["title"],
        expected["abstract"],
    )
    assert not _only(res, fatal=True)
    if "nobom" in name:
        assert [str(p) for p in res.problems] == [
            _msg(DATA / name, 0, "no byte-order mark; read as utf-16-le")
        ]


def test_utf8_bom_does_not_leak_into_the_header():
    res = read_inputs([DATA / "utf8bom.csv"])
    assert [(p.id, p.title, p.abstract) for p in res.papers] == [("bom1", "BOM Paper", "Abstract.")]
    assert res.problems == []


@pytest.mark.parametrize("name", ["crlf.txt", "crlf.csv"])
def test_crlf_line_ends(name):
    res = read_inputs([DATA / name])
    assert len(res.papers) == 2
    assert res.problems == []
    for p in res.papers:
        assert "\r" not in p.title and "\r" not in p.abstract
    assert res.papers[1].line in (3, 5)


def test_jsonl_broken_line_in_the_middle():
    path = DATA / "broken.jsonl"
    res = read_inputs([path])
    assert [p.id for p in res.papers] == ["b1", "b3", "b5"]
    assert [str(p) for p in res.problems] == [
        _msg(path, 2, "invalid JSON at column 1: Expecting value; skipped"),
        _msg(path, 4, "expected a JSON object, got list; skipped"),
    ]
    assert all(p.fatal for p in res.problems)
    assert res.stats["skipped"] == 2 and res.stats["records"] == 3
    with pytest.raises(IngestError) as exc:
        read_inputs([path], strict=True)
    assert _msg(path, 2, "invalid JSON") in str(exc.value)


def test_csv_missing_abstract_column_names_file_and_columns():
    path = DATA / "missing_abstract.csv"
    res = read_inputs([path, GOOD])
    (problem,) = res.problems
    assert problem.fatal
    assert str(problem) == _msg(
        path, 1, "missing column 'abstract'; the header has: 'id', 'title', 'venue'"
    )
    assert len(res.papers) == 3  # good.jsonl still read


def test_record_with_empty_title_is_skipped_and_reported():
    path = DATA / "empty_title.jsonl"
    res = read_inputs([path])
    assert [p.id for p in res.papers] == ["t1", "t4"]
    assert [str(p) for p in res.problems] == [
        _msg(path, 2, "record has no title; skipped"),
        _msg(path, 3, "record has no title; skipped"),
    ]
    assert res.stats["skipped"] == 2
    with pytest.raises(IngestError, match=r"empty_title\.jsonl:2: record has no title"):
        read_inputs([path], strict=True)


def test_record_with_empty_abstract_is_kept_title_only_with_a_warning():
    path = DATA / "empty_abstract.csv"
    res = read_inputs([path])
    assert [(p.id, p.abstract) for p in res.papers] == [("e1", "Text."), ("e2", "")]
    assert res.papers[1].text == "No Abstract"
    (warn,) = res.problems
    assert str(warn) == _msg(path, 3, "empty abstract; kept title-only") and not warn.fatal


def test_megabyte_abstract_is_kept_whole_with_a_warning():
    path = DATA / "long_abstract.jsonl"
    raw = json.loads(path.read_text("utf-8").splitlines()[0])["abstract"]
    assert len(raw) >= 999_999
    res = read_inputs([path])
    big, small = res.papers
    assert big.abstract == raw
    assert small.id == "small"
    (warn,) = res.problems
    assert not warn.fatal
    assert str(warn).startswith(_msg(path, 1, "abstract is 999,999 characters"))


def test_ten_thousand_copies_are_one_paper():
    res = read_inputs([DATA / "copies.csv"])
    (paper,) = res.papers
    assert paper.line == 2 and paper.metadata["listings"] == 10_000
    assert res.stats == {
        "files": 1,
        "records": 10_000,
        "papers": 1,
        "duplicates": 9_999,
        "skipped": 0,
        "failed_files": 0,
    }


def test_odd_names_survive_unchanged():
    path = DATA / "names.jsonl"
    raw = json.loads(path.read_text("utf-8"))
    (paper,) = read_inputs([path]).papers
    assert paper.title == raw["title"]
    assert paper.abstract == raw["abstract"]
    for piece in (
        '"Quoted"',
        "<Angle>",
        "\U0001f680",
        "نموذج",
        "עברית",
        "\n",
        "\u200f",
        "<script>",
    ):
        assert piece in paper.text


def test_csv_quoted_newlines_and_quotes_survive():
    (c1, *_) = read_inputs([DATA / "papers.csv"]).papers
    assert c1.title == 'Comma, Quote "and" Newline'
    assert c1.abstract == "Line one\nline two, with comma."


def test_atom_entries():
    path = DATA / "arxiv.atom"
    res = read_inputs([path])
    att, resnet = res.papers
    assert att.id == "1706.03762" and att.line == 8
    assert att.title == "Attention Is All You Need"
    assert att.abstract.startswith("The dominant sequence transduction models are based on")
    assert "<b>in</b>" in att.abstract and "\n" not in att.abstract
    assert att.metadata["date"] == "2017-06-12"
    assert att.metadata["authors"] == 2
    assert att.metadata["author_names"] == ["Ashish Vaswani", "Noam Shazeer"]
    assert att.metadata["url"] == "https://arxiv.org/abs/1706.03762"
    assert att.metadata["categories"] == ["cs.CL", "cs.LG"]
    assert att.metadata["pdf"] == "http://arxiv.org/pdf/1706.03762v7"
    assert resnet.id == "1512.03385" and resnet.line == 31
    assert [str(p) for p in res.problems] == [_msg(path, 43, "record has no title; skipped")]


def test_truncated_xml_keeps_entries_before_the_error():
    path = DATA / "truncated.xml"
    res = read_inputs([path])
    assert [p.id for p in res.papers] == ["1706.03762"]
    (problem,) = res.problems
    assert problem.fatal and str(problem).startswith(_msg(path, 33, "XML error"))


def test_entity_expansion_is_refused():
    path = DATA / "bomb.xml"
    res = read_inputs([path, GOOD])
    (problem,) = res.problems
    assert problem.fatal and str(problem).startswith(_msg(path, 3, "unsafe XML refused"))
    assert len(res.papers) == 3


def test_whole_folder_of_bad_and_good_inputs_never_raises_and_reports_everything():
    res = read_inputs([DATA])
    assert res.stats["files"] >= 20
    assert res.stats["papers"] > 20
    reported = {Path(p.path).name for p in res.problems}
    for name in ("empty.jsonl", "binary.jsonl", "broken.jsonl", "missing_abstract.csv"):
        assert name in reported

"""Regenerate the ingest test inputs: ``python tests/data/ingest/make_inputs.py``.

The files are checked in; this script documents exactly how each (including the bad ones)
was made, since several cannot be written by hand in an editor (binary, UTF-16, Latin-1).
The XML inputs (``arxiv.atom``, ``truncated.xml``, ``bomb.xml``) are hand-written.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

HERE = Path(__file__).parent

ODD_TITLE = 'The "Quoted" <Angle> Model: \U0001f680 نموذج اللغة & עברית'
ODD_ABSTRACT = "We use <script>alert(\"x\")</script> and 'single' quotes.\nA second line. \u200f"


def jl(*objs: object) -> str:
    return "".join(json.dumps(o, ensure_ascii=False) + "\n" for o in objs)


def main() -> None:
    w = {
        "good.jsonl": jl(
            {"id": "p1", "title": "Alpha Net", "abstract": "We propose AlphaNet.", "venue": "X"},
            {"title": "Beta: A Study", "abstract": "Beta is studied.", "tags": ["a", "b"]},
            {"id": 42, "title": "Gamma", "summary": "Summary field used as abstract."},
        ),
        "names.jsonl": jl({"id": "odd-1", "title": ODD_TITLE, "abstract": ODD_ABSTRACT}),
        "broken.jsonl": jl({"id": "b1", "title": "First Good", "abstract": "One."})
        + '{"id": "b2", "title": "Broken", "abstract": \n'
        + jl({"id": "b3", "title": "Second Good", "abstract": "Three."})
        + "[1, 2, 3]\n"
        + jl({"id": "b5", "title": "Third Good", "abstract": "Five."}),
        "empty_title.jsonl": jl(
            {"id": "t1", "title": "Has Title", "abstract": "Fine."},
            {"id": "t2", "title": "   ", "abstract": "No title here."},
            {"id": "t3", "abstract": "Title key missing."},
            {"id": "t4", "title": "Also Has Title", "abstract": "Fine too."},
        ),
        "papers.json": json.dumps(
            [
                {"id": "j1", "title": "Json One", "abstract": "First."},
                {"id": "j2", "title": "Json Two", "abstract": "Second.", "year": 2024},
            ],
            indent=2,
        ),
        "arxiv_snapshot.jsonl": jl(
            {
                "id": "0704.0001",
                "submitter": "Pavel Nadolsky",
                "authors": "C. Bal\\'azs, E. L. Berger, P. M. Nadolsky, C.-P. Yuan",
                "title": "Calculation of prompt diphoton production cross sections at Tevatron"
                " and\n  LHC energies",
                "comments": "37 pages, 15 figures",
                "journal-ref": "Phys.Rev.D76:013009,2007",
                "doi": "10.1103/PhysRevD.76.013009",
                "categories": "hep-ph",
                "abstract": "  A fully differential calculation in perturbative quantum"
                " chromodynamics"
                " is\npresented for the production of massive photon pairs at hadron"
                " colliders.\n",
                "versions": [
                    {"version": "v1", "created": "Mon, 2 Apr 2007 19:18:42 GMT"},
                    {"version": "v2", "created": "Tue, 24 Jul 2007 20:10:27 GMT"},
                ],
                "update_date": "2008-11-13",
                "authors_parsed": [
                    ["Bal\\'azs", "C.", ""],
                    ["Berger", "E. L.", ""],
                    ["Nadolsky", "P. M.", ""],
                    ["Yuan", "C. -P.", ""],
                ],
            },
            {
                "id": "1706.03762",
                "authors": "Ashish Vaswani, Noam Shazeer and Niki Parmar",
                "title": "Attention Is All You Need",
                "categories": "cs.CL cs.LG",
                "abstract": "  The dominant sequence transduction models are based on complex"
                " recurrent\nor convolutional neural networks.\n",
                "update_date": "2023-08-02",
            },
        ),
        "papers.csv": "ID,Title,Summary,venue\n"
        'c1,"Comma, Quote ""and"" Newline","Line one\nline two, with comma.",NeurIPS\n'
        ",No Id Here,An abstract.,\n"
        "c3,Too Many Fields,abstract,venue,extra\n"
        "c4,Last Row,Final abstract.,ICML\n",
        "broken_list.json": '[\n  {"id": "k1", "title": "Kept", "abstract": "Before the error."},\n'
        '  {"id": "k2", "title": broken}\n]\n',
        "lines.json": jl(
            {"id": "l1", "title": "Lines One", "abstract": "JSON Lines in a .json file."},
            {"id": "l2", "title": "Lines Two", "abstract": "Second."},
        ),
        "papers.tsv": "id\ttitle\tabstract\nt1\tTab Paper\tTab separated abstract.\n",
        "missing_abstract.csv": "id,title,venue\nm1,Only Title,ICLR\n",
        "empty_abstract.csv": "id,title,abstract\ne1,Has Abstract,Text.\ne2,No Abstract,\n",
        "crlf.csv": "id,title,abstract\r\nr1,CRLF One,First.\r\nr2,CRLF Two,Second.\r\n",
        "layout_a.txt": "Get trending papers in your email inbox once a day!\n"
        "Get trending papers in your email inbox!\n"
        "SubscribeFirst Paper: A Title\nFirst abstract line.\n"
        "Second Paper\nSecond abstract line.\n \n\t\t\t \n",
        "layout_b.txt": "new\n\nGet trending papers in your email inbox!\n\nSubscribe\n\n"
        "Daily Papers\n\nbyAK and the research community\n\nOct 31\n\n"
        "Paper With Authors\n\nAbstract one.\n\n  \u2022 6 authors\n\u00b7\nJul 18, 2023\n\n"
        "Paper With Org\n\nAbstract two.\n\nSakanaAI Sakana AI\n\u00b7\nSep 30 21\n\n"
        "Paper Without Meta\n\nAbstract three.\n\n"
        "Paper With Year And Votes\n\nAbstract four.\n\n"
        "  \u2022 3 authors\n\u00b7\nAug 20, 2024 1\n",
    }
    for name, text in w.items():
        (HERE / name).write_text(text, encoding="utf-8", newline="")
    (HERE / "crlf.txt").write_bytes(w["layout_a.txt"].replace("\n", "\r\n").encode())
    (HERE / "empty.jsonl").write_bytes(b"")
    (HERE / "binary.jsonl").write_bytes(gzip.compress(w["good.jsonl"].encode(), mtime=0))
    (HERE / "nul.txt").write_bytes(bytes(range(256)) * 4)
    latin = "id,title,abstract\nl1,Caf\u00e9 R\u00e9sum\u00e9 Na\u00efve,\u00dcber sch\u00f6n.\n"
    (HERE / "latin1.csv").write_bytes(latin.encode("latin-1"))
    (HERE / "utf16.jsonl").write_bytes(
        jl({"id": "u1", "title": "UTF-16 \u00e9 Paper", "abstract": "Sixteen."}).encode("utf-16")
    )
    (HERE / "utf16le_nobom.jsonl").write_bytes(
        jl({"id": "n1", "title": "No BOM Sixteen", "abstract": "Little endian."}).encode(
            "utf-16-le"
        )
    )
    (HERE / "utf8bom.csv").write_bytes(
        b"\xef\xbb\xbf" + b"id,title,abstract\nbom1,BOM Paper,Abstract.\n"
    )
    big = "word " * 200_000
    (HERE / "long_abstract.jsonl").write_text(
        jl(
            {"id": "big", "title": "Huge Abstract", "abstract": big.strip()},
            {"id": "small", "title": "Small One", "abstract": "Small."},
        ),
        encoding="utf-8",
    )
    rows = ",Same Paper,Same abstract.\n" * 10_000
    (HERE / "copies.csv").write_text("id,title,abstract\n" + rows, encoding="utf-8")


if __name__ == "__main__":
    main()

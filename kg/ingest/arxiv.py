"""arXiv-specific mapping: metadata-snapshot records and Atom entries to our metadata keys."""

from __future__ import annotations

import re
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Any

from kg.ingest.records import collapse_ws

_SNAPSHOT_KEYS = frozenset({"versions", "update_date", "authors_parsed", "submitter"})
_AUTHOR_SPLIT = re.compile(r",\s*(?:and\s+)?|\s+and\s+")
_ABS_URL = re.compile(r"^https?://arxiv\.org/abs/(?P<id>.+?)(?P<v>v\d+)?$")


def is_snapshot(obj: dict[str, Any]) -> bool:
    """True for a record of the arXiv metadata snapshot (Kaggle ``arxiv-metadata-oai``)."""
    return len(_SNAPSHOT_KEYS & obj.keys()) >= 1 and "abstract" in obj and "title" in obj


def abs_url(arxiv_id: str) -> str:
    return f"https://arxiv.org/abs/{arxiv_id}"


def split_abs_url(url: str) -> tuple[str, str | None] | None:
    """``http://arxiv.org/abs/2101.00001v2`` -> ("2101.00001", "v2"); None if not an arXiv URL."""
    m = _ABS_URL.match(url.strip())
    return (m["id"], m["v"]) if m else None


def author_count(raw: str) -> int:
    """Count names in an arXiv author string ("A, B and C")."""
    return len([a for a in _AUTHOR_SPLIT.split(collapse_ws(raw)) if a.strip()])


def _version_date(versions: Any) -> str | None:
    try:
        created = versions[0]["created"]
        return parsedate_to_datetime(created).date().isoformat()
    except (LookupError, TypeError, ValueError):
        return None


def _iso_date(text: Any) -> str | None:
    try:
        return datetime.fromisoformat(str(text).strip().replace("Z", "+00:00")).date().isoformat()
    except ValueError:
        return None


def normalise_snapshot(obj: dict[str, Any]) -> dict[str, Any]:
    """Collapse hard wraps, add ``date``, author count and ``url``; keep every raw field.

    ``date`` is the first version's date (when the paper appeared), else ``update_date``.
    """
    out = dict(obj)
    for key in ("title", "abstract"):
        if isinstance(out.get(key), str):
            out[key] = collapse_ws(out[key])
    date = _version_date(obj.get("versions")) or _iso_date(obj.get("update_date"))
    if date:
        out["date"] = date
    authors = obj.get("authors")
    if isinstance(authors, str):
        out["authors_text"] = collapse_ws(authors)
        parsed = obj.get("authors_parsed")
        out["authors"] = len(parsed) if isinstance(parsed, list) else author_count(authors)
    if obj.get("id") not in (None, ""):
        out.setdefault("url", abs_url(str(obj["id"]).strip()))
    return out


def iso_date(text: str) -> str | None:
    """ISO date (yyyy-mm-dd) of an Atom timestamp like 2017-06-12T17:57:34Z."""
    return _iso_date(text)

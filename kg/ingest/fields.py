"""Turn a mapping (a JSON object or a CSV row) into a Record: core fields out, the rest metadata."""

from __future__ import annotations

from typing import Any

from kg.ingest import arxiv
from kg.ingest.records import ABSTRACT_FIELDS, ID_FIELDS, TITLE_FIELDS, Record


def _pick(lowered: dict[str, str], names: tuple[str, ...]) -> str | None:
    """The original key of the first accepted field name present (case-insensitive)."""
    return next((lowered[n] for n in names if n in lowered), None)


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    raise TypeError(type(value).__name__)


def record_from_mapping(obj: dict[str, Any], line: int) -> Record:
    """Map ``id``/``title``/``abstract`` (or ``summary``); other non-empty fields -> metadata.

    Raises ``TypeError`` naming the field when a core field is not text.
    """
    if arxiv.is_snapshot(obj):
        obj = arxiv.normalise_snapshot(obj)
    lowered: dict[str, str] = {}
    for k in obj:
        lowered.setdefault(str(k).strip().lower(), k)
    keys = {
        "id": _pick(lowered, ID_FIELDS),
        "title": _pick(lowered, TITLE_FIELDS),
        "abstract": _pick(lowered, ABSTRACT_FIELDS),
    }
    values: dict[str, str | None] = {}
    for name, key in keys.items():
        try:
            values[name] = _text(obj[key]) if key is not None else None
        except TypeError as exc:
            raise TypeError(f"field {key!r} is {exc}, not text") from None
    used = {k for k in keys.values() if k is not None}
    meta = {str(k): v for k, v in obj.items() if k not in used and v not in (None, "")}
    rid = values["id"].strip() if values["id"] is not None else None
    return Record(
        title=values["title"],
        abstract=values["abstract"],
        line=line,
        id=rid or None,
        metadata=meta,
    )

"""Features of an assembled entity, for the learned keep/drop filter (:mod:`kg.extract.filter`).

General properties only (which rules found it, where and how often it is mentioned, the shape
of its name and head word, the words around it); no word identities, so the filter learns how
much to trust each rule family rather than memorising names.
"""

from __future__ import annotations

import math

from kg.extract import candidates as C
from kg.extract.resources import Resources
from kg.extract.tokens import TokenTable

#: Feature names in a fixed order (the filter model stores weights in this order).
FEATURES: tuple[str, ...] = (
    *(f"src_{C.SOURCE_NAMES[g]}_{g.rsplit('_', 1)[-1]}" for g in C.CANDIDATE_GROUPS),
    "type_Model",
    "type_Method",
    "type_Dataset",
    "type_Task",
    "proposed",
    "known",
    "log_mentions",
    "title_only",
    "in_title",
    "words_1",
    "words_2",
    "words_3",
    "words_4plus",
    "head_weak",
    "head_structural",
    "head_task",
    "head_method",
    "head_plural",
    "tech_modifiers",
    "plain_first_adjective",
    "proper",
    "shaped",
    "has_alias",
    "first_position",
    "after_indefinite",
    "after_definite",
    "after_possessive",
    "in_list",
    "after_example_cue",
    "hyphenated",
    "bias",
)
_POSSESSIVE = {"our", "their", "its", "his", "her", "my", "your"}
_EXAMPLE_CUES = {"such", "including", "like", "e.g.", "e.g", "namely", "as"}


_INDEX = {name: i for i, name in enumerate(FEATURES)}
#: Feature index of each candidate group ("src_gazetteer_gazetteer", ...).
_SOURCE_INDEX = {
    g: _INDEX[f"src_{C.SOURCE_NAMES[g]}_{g.rsplit('_', 1)[-1]}"] for g in C.SOURCE_NAMES
}
_WORDS = (_INDEX["words_1"], _INDEX["words_2"], _INDEX["words_3"], _INDEX["words_4plus"])


def entity_features(tt: TokenTable, ent: dict, res: Resources, title_end: int) -> list[float]:
    """Feature values of one entity in ``FEATURES`` order (``ent`` as built by the assembler,
    with "ms")."""
    ms = ent["ms"]
    lower, lex, idx = tt.lower, tt.lex, tt.idx
    f: list[float] = [0.0] * len(FEATURES)
    ix = _INDEX
    for g in ent["groups"]:
        if g in _SOURCE_INDEX:
            f[_SOURCE_INDEX[g]] = 1.0
    if f"type_{ent['type']}" in ix:
        f[ix[f"type_{ent['type']}"]] = 1.0
    f[ix["proposed"]] = float(ent["proposed"])
    f[ix["known"]] = float(ent["known"])
    f[ix["log_mentions"]] = math.log1p(len(ms))
    in_title = [idx[m.start] < title_end for m in ms]
    f[ix["title_only"]] = float(all(in_title))
    f[ix["in_title"]] = float(any(in_title))
    nm = ent["name_m"]
    n = nm.end - nm.start
    f[_WORDS[min(n, 4) - 1]] = 1
    head = lower[nm.end - 1]
    f[ix["head_weak"]] = float(head in res.weak_heads)
    f[ix["head_structural"]] = float(head in res.structural_heads)
    ht = res.head_type(head)
    f[ix["head_task"]] = float(ht == "Task")
    f[ix["head_method"]] = float(ht == "Method")
    f[ix["head_plural"]] = float(head.endswith("s") and not head.endswith("ss"))
    if n > 1:
        tech = res.technical_modifiers
        f[ix["tech_modifiers"]] = sum(lower[k] in tech for k in range(nm.start, nm.end - 1)) / (
            n - 1
        )
        first = nm.start
        f[ix["plain_first_adjective"]] = float(
            lower[first] not in tech
            and "-" not in tt.text[first]
            and (
                tt.tag[first].startswith("JJ")
                if tt.tagged
                else lower[first].endswith(("al", "ive"))
            )
        )
    f[ix["proper"]] = float(
        any(
            idx[m.start] >= title_end
            and lex[m.start].upper_initial
            and m.start > 0
            and not tt.sent_start[m.start]
            for m in ms
        )
    )
    f[ix["shaped"]] = float(any(lex[k].shape for k in range(nm.start, nm.end)))
    f[ix["has_alias"]] = float(bool(ent["aliases"]))
    first_m = min(ms, key=lambda m: m.start)
    text_len = tt.end_char(tt.n - 1) if tt.n else 1
    f[ix["first_position"]] = idx[first_m.start] / max(1, text_len)
    for m in ms:
        prev = lower[m.start - 1] if m.start > 0 else ""
        nxt = lower[m.end] if m.end < tt.n else ""
        if prev in ("a", "an"):
            f[ix["after_indefinite"]] = 1.0
        if prev == "the":
            f[ix["after_definite"]] = 1.0
        if prev in _POSSESSIVE:
            f[ix["after_possessive"]] = 1.0
        if prev in (",", "and", "or") or nxt in (",", "and", "or"):
            f[ix["in_list"]] = 1.0
        if any(lower[k] in _EXAMPLE_CUES for k in range(max(0, m.start - 3), m.start)):
            f[ix["after_example_cue"]] = 1.0
    f[ix["hyphenated"]] = float("-" in ent["name"])
    f[ix["bias"]] = 1.0
    return f

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


def entity_features(tt: TokenTable, ent: dict, res: Resources, title_end: int) -> dict[str, float]:
    """Feature values of one entity (``ent`` as built by the assembler, with "ms")."""
    ms = ent["ms"]
    lower, lex, idx = tt.lower, tt.lex, tt.idx
    f: dict[str, float] = dict.fromkeys(FEATURES, 0.0)
    for g in ent["groups"]:
        key = f"src_{C.SOURCE_NAMES[g]}_{g.rsplit('_', 1)[-1]}"
        if key in f:
            f[key] = 1.0
    f[f"type_{ent['type']}"] = 1.0
    f["proposed"] = float(ent["proposed"])
    f["known"] = float(ent["known"])
    f["log_mentions"] = math.log1p(len(ms))
    in_title = [idx[m.start] < title_end for m in ms]
    f["title_only"] = float(all(in_title))
    f["in_title"] = float(any(in_title))
    nm = ent["name_m"]
    n = nm.end - nm.start
    f["words_1" if n == 1 else "words_2" if n == 2 else "words_3" if n == 3 else "words_4plus"] = 1
    head = lower[nm.end - 1]
    f["head_weak"] = float(head in res.weak_heads)
    f["head_structural"] = float(head in res.structural_heads)
    ht = res.head_type(head)
    f["head_task"] = float(ht == "Task")
    f["head_method"] = float(ht == "Method")
    f["head_plural"] = float(head.endswith("s") and not head.endswith("ss"))
    mods = range(nm.start, nm.end - 1)
    if len(mods):
        f["tech_modifiers"] = sum(lower[k] in res.technical_modifiers for k in mods) / len(mods)
        first = nm.start
        f["plain_first_adjective"] = float(
            lower[first] not in res.technical_modifiers
            and "-" not in tt.text[first]
            and (
                tt.tag[first].startswith("JJ")
                if tt.tagged
                else lower[first].endswith(("al", "ive"))
            )
        )
    body = [m for m in ms if idx[m.start] >= title_end]
    f["proper"] = float(
        any(lex[m.start].upper_initial and m.start > 0 and not tt.sent_start[m.start] for m in body)
    )
    f["shaped"] = float(any(lex[k].shape for k in range(nm.start, nm.end)))
    f["has_alias"] = float(bool(ent["aliases"]))
    first_m = min(ms, key=lambda m: m.start)
    text_len = tt.end_char(tt.n - 1) if tt.n else 1
    f["first_position"] = idx[first_m.start] / max(1, text_len)
    for m in ms:
        prev = lower[m.start - 1] if m.start > 0 else ""
        nxt = lower[m.end] if m.end < tt.n else ""
        if prev in ("a", "an"):
            f["after_indefinite"] = 1.0
        if prev == "the":
            f["after_definite"] = 1.0
        if prev in _POSSESSIVE:
            f["after_possessive"] = 1.0
        if prev in (",", "and", "or") or nxt in (",", "and", "or"):
            f["in_list"] = 1.0
        window = {lower[k] for k in range(max(0, m.start - 3), m.start)}
        if window & _EXAMPLE_CUES:
            f["after_example_cue"] = 1.0
    f["hyphenated"] = float("-" in ent["name"])
    f["bias"] = 1.0
    return f

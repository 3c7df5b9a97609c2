"""Example lists: "tasks such as sorting, addition, and parenthesis checking" names three Tasks.

A plural type noun (tasks, techniques, datasets: ``list_heads`` in ``kg/data/lexicon.json``)
followed by "such as", "including", "like", "e.g." or a colon introduces a list whose items are
short noun phrases of that type. Named items are left to the other rules; this one mostly finds
the lower-case tasks and techniques no gazetteer lists.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from kg.extract import candidates
from kg.extract.names import NOUN_TAGS
from kg.extract.resources import load_resources
from kg.extract.sentences import sentence_bounds
from kg.extract.tokens import TokenTable, filter_bounds, set_group, token_table

_INTRO_WORDS = {"such", "as", "including", "like", "e.g.", "e.g", "namely", ":", "(", "viz"}
_JOINERS = {",", "and", "or"}
MAX_ITEM_TOKENS = 4
MAX_ITEMS = 8


class ListCues:
    def __init__(self, nlp: Language, name: str = "kg_list_cues") -> None:
        self.name = name
        self.res = load_resources()

    def _item_end(self, tt: TokenTable, i: int, limit: int) -> int:
        """End of the list item starting at token ``i`` (== i when there is none)."""
        lex, lower = tt.lex, tt.lower
        j = i
        while j < limit and j - i < MAX_ITEM_TOKENS:
            x = lex[j]
            if x.is_punct or x.lower in _JOINERS or x.is_stop or x.like_num:
                break
            if not tt.tagged and lower[j] in self.res.untagged_non_modifiers:
                break
            j += 1
        if j == i:
            return i
        if tt.tagged and tt.tag[j - 1] not in NOUN_TAGS and tt.tag[j - 1] != "VBG":
            return i
        return j

    def __call__(self, doc: Doc) -> Doc:
        tt = token_table(doc)
        lower = tt.lower
        heads = self.res.list_heads
        spans: list[tuple[int, int, str]] = []
        for s0, s1, _c0, _c1 in sentence_bounds(doc):
            for i in range(s0, s1):
                etype = heads.get(lower[i])
                if etype is None:
                    continue
                j = i + 1
                while j < s1 and lower[j] in _INTRO_WORDS:
                    j += 1
                if j == i + 1:
                    continue  # no "such as" / "including" / ":" after the noun
                items = 0
                while j < s1 and items < MAX_ITEMS:
                    end = self._item_end(tt, j, s1)
                    if end == j:
                        break
                    spans.append((j, end, etype))
                    items += 1
                    j = end
                    if j >= s1 or lower[j] not in _JOINERS:
                        break
                    while j < s1 and lower[j] in _JOINERS:
                        j += 1
        set_group(doc, candidates.LIST_CUE, filter_bounds(spans))
        return doc


@Language.factory("kg_list_cues")
def make_list_cues(nlp: Language, name: str) -> ListCues:
    return ListCues(nlp, name)

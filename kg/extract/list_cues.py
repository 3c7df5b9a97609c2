"""Example lists: "tasks such as sorting, addition, and parenthesis checking" names three Tasks.

A plural type noun (tasks, techniques, datasets: ``list_heads`` in ``kg/data/lexicon.json``)
followed by "such as", "including", "like", "e.g." or a colon introduces a list whose items are
short noun phrases of that type. Named items are left to the other rules; this one mostly finds
the lower-case tasks and techniques no gazetteer lists.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from kg.extract import candidates
from kg.extract.names import NOUN_TAGS, has_tags
from kg.extract.resources import load_resources
from kg.extract.sentences import sentence_bounds

_INTRO_WORDS = {"such", "as", "including", "like", "e.g.", "e.g", "namely", ":", "(", "viz"}
_JOINERS = {",", "and", "or"}
MAX_ITEM_TOKENS = 4
MAX_ITEMS = 8


class ListCues:
    def __init__(self, nlp: Language, name: str = "kg_list_cues") -> None:
        self.name = name
        self.res = load_resources()

    def _item_end(self, doc: Doc, i: int, limit: int, tagged: bool) -> int:
        """End of the list item starting at token ``i`` (== i when there is none)."""
        j = i
        while j < limit and j - i < MAX_ITEM_TOKENS:
            tok = doc[j]
            if tok.is_punct or tok.lower_ in _JOINERS or tok.is_stop or tok.like_num:
                break
            if not tagged and tok.lower_ in self.res.untagged_non_modifiers:
                break
            j += 1
        if j == i:
            return i
        last = doc[j - 1]
        if tagged and last.tag_ not in NOUN_TAGS and last.tag_ != "VBG":
            return i
        return j

    def __call__(self, doc: Doc) -> Doc:
        tagged = has_tags(doc)
        heads = self.res.list_heads
        spans: list[Span] = []
        for s0, s1, _c0, _c1 in sentence_bounds(doc):
            for tok in doc[s0:s1]:
                etype = heads.get(tok.lower_)
                if etype is None:
                    continue
                j = tok.i + 1
                while j < s1 and doc[j].lower_ in _INTRO_WORDS:
                    j += 1
                if j == tok.i + 1:
                    continue  # no "such as" / "including" / ":" after the noun
                items = 0
                while j < s1 and items < MAX_ITEMS:
                    end = self._item_end(doc, j, s1, tagged)
                    if end == j:
                        break
                    spans.append(Span(doc, j, end, label=etype))
                    items += 1
                    j = end
                    if j >= s1 or doc[j].lower_ not in _JOINERS:
                        break
                    while j < s1 and doc[j].lower_ in _JOINERS:
                        j += 1
        doc.spans[candidates.LIST_CUE] = filter_spans(spans)
        return doc


@Language.factory("kg_list_cues")
def make_list_cues(nlp: Language, name: str) -> ListCues:
    return ListCues(nlp, name)

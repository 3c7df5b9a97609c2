"""Datasets by context: "the Mizar corpus", "on the MNIST, SVHN, and CIFAR-10 datasets",
"benchmarks such as GSM8K and MATH".

Proper names next to a dataset word (dataset, benchmark, corpus, suite) are typed Dataset;
a plural dataset word spreads the type over a coordinated list of names.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from kg.extract import candidates
from kg.extract.names import name_run, name_run_back
from kg.extract.resources import load_resources
from kg.extract.sentences import sentence_bounds
from kg.extract.tokens import TokenTable, filter_bounds, set_group, token_table

_LIST_JOINERS = {",", "and", "or", "&", "as", "well", "the"}
_INTRO = {"such", "as", "including", "like", "namely", "e.g.", ":", "e.g", "(", "viz"}


class DatasetCues:
    def __init__(self, nlp: Language, name: str = "kg_dataset_cues") -> None:
        self.name = name
        res = load_resources()
        self.heads = frozenset(w for w, ts in res.head_types.items() if "Dataset" in ts)

    def _list_back(self, tt: TokenTable, end: int, floor: int) -> list[tuple[int, int]]:
        """Names in a coordinated list ending before token ``end``."""
        out: list[tuple[int, int]] = []
        lower = tt.lower
        j = end
        while j > floor:
            run = name_run_back(tt, j, floor=floor)
            if run[0] == run[1]:
                break
            out.append(run)
            j = run[0]
            k = j
            while k > floor and lower[k - 1] in _LIST_JOINERS and lower[k - 1] != "the":
                k -= 1
            if k == j:
                break
            j = k
        return out

    def _list_forward(self, tt: TokenTable, start: int, limit: int) -> list[tuple[int, int]]:
        out: list[tuple[int, int]] = []
        lower = tt.lower
        j = start
        while j < limit:
            while j < limit and lower[j] in _LIST_JOINERS:
                j += 1
            if j >= limit or not tt.lex[j].namelike:
                break
            run = name_run(tt, j, allow_of=False)
            if run[0] == run[1]:
                break
            out.append(run)
            j = run[1]
            if j >= limit or lower[j] not in _LIST_JOINERS:
                break
        return out

    def __call__(self, doc: Doc) -> Doc:
        tt = token_table(doc)
        lower = tt.lower
        spans: list[tuple[int, int]] = []
        for s0, s1, _c0, _c1 in sentence_bounds(doc):
            for i in range(s0, s1):
                low = lower[i]
                if low not in self.heads:
                    continue
                plural = low.endswith("s") and low != "corpus" or low == "corpora"
                back = self._list_back(tt, i, s0)
                if back:
                    spans.extend(back if plural else back[:1])
                j = i + 1
                while j < s1 and lower[j] in _INTRO:
                    j += 1
                if j > i + 1 or (j < s1 and lower[j] in ("(",)):
                    spans.extend(self._list_forward(tt, j, s1))
        kept = filter_bounds([(s, e, "Dataset") for s, e in spans])
        set_group(doc, candidates.DATASET_CUE, kept)
        return doc


@Language.factory("kg_dataset_cues")
def make_dataset_cues(nlp: Language, name: str) -> DatasetCues:
    return DatasetCues(nlp, name)

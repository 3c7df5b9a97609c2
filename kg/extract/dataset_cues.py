"""Datasets by context: "the Mizar corpus", "on the MNIST, SVHN, and CIFAR-10 datasets",
"benchmarks such as GSM8K and MATH".

Proper names next to a dataset word (dataset, benchmark, corpus, suite) are typed Dataset;
a plural dataset word spreads the type over a coordinated list of names.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from kg.extract import candidates
from kg.extract.names import is_namelike, name_run, name_run_back
from kg.extract.resources import load_resources
from kg.extract.sentences import sentence_bounds

_LIST_JOINERS = {",", "and", "or", "&", "as", "well", "the"}
_INTRO = {"such", "as", "including", "like", "namely", "e.g.", ":", "e.g", "(", "viz"}


class DatasetCues:
    def __init__(self, nlp: Language, name: str = "kg_dataset_cues") -> None:
        self.name = name
        res = load_resources()
        self.heads = frozenset(w for w, ts in res.head_types.items() if "Dataset" in ts)

    def _list_back(self, doc: Doc, end: int, floor: int) -> list[Span]:
        """Names in a coordinated list ending before token ``end``."""
        out: list[Span] = []
        j = end
        while j > floor:
            run = name_run_back(doc, j, floor=floor)
            if run is None:
                break
            out.append(run)
            j = run.start
            k = j
            while k > floor and doc[k - 1].lower_ in _LIST_JOINERS and doc[k - 1].lower_ != "the":
                k -= 1
            if k == j:
                break
            j = k
        return out

    def _list_forward(self, doc: Doc, start: int, limit: int) -> list[Span]:
        out: list[Span] = []
        j = start
        while j < limit:
            while j < limit and doc[j].lower_ in _LIST_JOINERS:
                j += 1
            if j >= limit or not is_namelike(doc[j]):
                break
            run = name_run(doc, j, allow_of=False)
            if run is None:
                break
            out.append(run)
            j = run.end
            if j >= limit or doc[j].lower_ not in _LIST_JOINERS:
                break
        return out

    def __call__(self, doc: Doc) -> Doc:
        spans: list[Span] = []
        for s0, s1, _c0, _c1 in sentence_bounds(doc):
            sent = doc[s0:s1]
            for tok in sent:
                if tok.lower_ not in self.heads:
                    continue
                plural = (
                    tok.lower_.endswith("s") and tok.lower_ != "corpus" or tok.lower_ == "corpora"
                )
                back = self._list_back(doc, tok.i, sent.start)
                if back:
                    spans.extend(back if plural else back[:1])
                j = tok.i + 1
                while j < sent.end and doc[j].lower_ in _INTRO:
                    j += 1
                if j > tok.i + 1 or (j < sent.end and doc[j].lower_ in ("(",)):
                    spans.extend(self._list_forward(doc, j, sent.end))
        doc.spans[candidates.DATASET_CUE] = filter_spans(
            [Span(doc, s.start, s.end, label="Dataset") for s in spans]
        )
        return doc


@Language.factory("kg_dataset_cues")
def make_dataset_cues(nlp: Language, name: str) -> DatasetCues:
    return DatasetCues(nlp, name)

"""Known names: a PhraseMatcher over the gazetteer in ``kg/data/gazetteer.tsv``.

Most entries match case-insensitively; names that are also English words (MATH, DROP, Rainbow)
match only as written. The canonical name is kept in the candidate's ``kb_id`` so that "CNN" and
"convolutional neural networks" in one abstract become one entity.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from kg.extract import candidates
from kg.extract.resources import load_resources
from kg.extract.tokens import filter_bounds, set_group


def _variants(name: str) -> set[str]:
    """The name and its simple plural (``transformer`` -> ``transformers``)."""
    out = {name}
    last = name.split()[-1] if name.split() else ""
    if last.isalpha() and last.islower() and not last.endswith("s"):
        out.add(name + "s")
    return out


def _is_acronym(name: str) -> bool:
    letters = [c for c in name if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


class GazetteerMatcher:
    """Marks every gazetteer name in the doc as a typed candidate span."""

    def __init__(self, nlp: Language, name: str = "kg_gazetteer") -> None:
        self.name = name
        res = load_resources()
        self.lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.entries: dict[str, tuple[str, str]] = {}
        by_key: dict[tuple[str, bool], list[Doc]] = {}
        for i, entry in enumerate(res.gazetteer):
            key = f"gaz{i}"
            self.entries[key] = (entry.name, entry.type)
            for n in entry.all_names:
                # An all-capitals name is an acronym (MIMIC, MATH, DROP): its lower-case
                # form is usually an English word, so it matches only as written.
                cs = entry.case_sensitive or _is_acronym(n)
                for v in {n} if cs else _variants(n):
                    by_key.setdefault((key, cs), []).append(nlp.make_doc(v))
        for (key, cs), docs in by_key.items():
            (self.exact if cs else self.lower).add(key, docs)
        #: the matchers' match ids (the keys' hashes) -> (canonical name, type)
        self.by_id = {nlp.vocab.strings.add(k): v for k, v in self.entries.items()}

    def __call__(self, doc: Doc) -> Doc:
        spans: list[tuple[int, int, str, str]] = []
        for matcher in (self.lower, self.exact):
            for match_id, start, end in matcher(doc):
                canon, etype = self.by_id[match_id]
                spans.append((start, end, etype, canon))
        set_group(doc, candidates.GAZETTEER, filter_bounds(spans))
        return doc


@Language.factory("kg_gazetteer")
def make_gazetteer(nlp: Language, name: str) -> GazetteerMatcher:
    return GazetteerMatcher(nlp, name)

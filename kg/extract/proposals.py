"""What the paper introduces: "we propose X", "a framework called X", "X, a new ...".

Marks two things for the assembler: names directly after a naming cue (called, dubbed, named)
as proposed candidates, and "proposal zones" (from a proposal verb with the paper as subject
to the end of its clause) where the first entity is the paper's own.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

from kg.extract import candidates
from kg.extract.names import is_namelike, name_run
from kg.extract.resources import load_resources
from kg.extract.sentences import sentence_bounds

PROPOSAL_ZONE = "kg_proposal_zone"
_SUBJECTS = {"we", "paper", "work", "study", "article", "here", "this", "our"}
_CLAUSE_END = {".", ";", "!", "?"}
_SKIP = {"a", "an", "the", "new", "novel", "simple", "our", "its", "their", '"', "'", "“", "`"}


class ProposalCues:
    def __init__(self, nlp: Language, name: str = "kg_proposals") -> None:
        self.name = name
        res = load_resources()
        self.verbs = res.proposal_verbs
        self.naming = res.naming_cues

    def __call__(self, doc: Doc) -> Doc:
        named: list[Span] = []
        zones: list[Span] = []
        for s0, s1, _c0, _c1 in sentence_bounds(doc):
            sent = doc[s0:s1]
            lows = [t.lower_ for t in sent]
            has_subject = any(w in _SUBJECTS for w in lows)
            if not has_subject and not is_namelike(sent[0]):
                continue
            for tok, low in zip(sent, lows, strict=True):
                if low in self.naming and has_subject:
                    j = tok.i + 1
                    while j < sent.end and (doc[j].lower_ in _SKIP or doc[j].is_quote):
                        j += 1
                    if j < sent.end and is_namelike(doc[j]):
                        run = name_run(doc, j)
                        if run is not None:
                            named.append(Span(doc, run.start, run.end, label="proposed"))
                if low in self.verbs and has_subject and tok.i > sent.start:
                    end = tok.i + 1
                    while end < sent.end and doc[end].text not in _CLAUSE_END:
                        end += 1
                    zones.append(Span(doc, tok.i + 1, end, label="zone"))
            # "X, a novel framework for ..." at the start of a sentence
            first = sent[0]
            if is_namelike(first):
                run = name_run(doc, first.i)
                if (
                    run is not None
                    and run.end + 2 < sent.end
                    and doc[run.end].text == ","
                    and doc[run.end + 1].lower_ in ("a", "an")
                    and any(t.lower_ in ("new", "novel") for t in doc[run.end + 1 : run.end + 4])
                ):
                    named.append(Span(doc, run.start, run.end, label="proposed"))
        doc.spans[candidates.PROPOSED] = named
        doc.spans[PROPOSAL_ZONE] = zones
        return doc


@Language.factory("kg_proposals")
def make_proposals(nlp: Language, name: str) -> ProposalCues:
    return ProposalCues(nlp, name)

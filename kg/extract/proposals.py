"""What the paper introduces: "we propose X", "a framework called X", "X, a new ...".

Marks two things for the assembler: names directly after a naming cue (called, dubbed, named)
as proposed candidates, and "proposal zones" (from a proposal verb with the paper as subject
to the end of its clause) where the first entity is the paper's own.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from kg.extract import candidates
from kg.extract.names import name_run
from kg.extract.resources import load_resources
from kg.extract.sentences import sentence_bounds
from kg.extract.tokens import set_group, token_table

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
        tt = token_table(doc)
        lex, lower, texts = tt.lex, tt.lower, tt.text
        named: list[tuple[int, int, str]] = []
        zones: list[tuple[int, int, str]] = []
        for s0, s1, _c0, _c1 in sentence_bounds(doc):
            has_subject = any(lower[k] in _SUBJECTS for k in range(s0, s1))
            if not has_subject and not lex[s0].namelike:
                continue
            if has_subject:
                for i in range(s0, s1):
                    low = lower[i]
                    if low in self.naming:
                        j = i + 1
                        while j < s1 and (lower[j] in _SKIP or lex[j].is_quote):
                            j += 1
                        if j < s1 and lex[j].namelike:
                            start, end = name_run(tt, j)
                            named.append((start, end, "proposed"))
                    if low in self.verbs and i > s0:
                        end = i + 1
                        while end < s1 and texts[end] not in _CLAUSE_END:
                            end += 1
                        zones.append((i + 1, end, "zone"))
            # "X, a novel framework for ..." at the start of a sentence
            if lex[s0].namelike:
                _, end = name_run(tt, s0)
                if (
                    end + 2 < s1
                    and texts[end] == ","
                    and lower[end + 1] in ("a", "an")
                    and any(
                        lower[k] in ("new", "novel") for k in range(end + 1, min(end + 4, tt.n))
                    )
                ):
                    named.append((s0, end, "proposed"))
        set_group(doc, candidates.PROPOSED, named)
        set_group(doc, PROPOSAL_ZONE, zones)
        return doc


@Language.factory("kg_proposals")
def make_proposals(nlp: Language, name: str) -> ProposalCues:
    return ProposalCues(nlp, name)

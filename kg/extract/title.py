"""The title's own name: "DataMUX: Data Multiplexing for Neural Networks" proposes DataMUX.

A short, name-like prefix before a colon or dash is taken as the paper's contribution unless
the subtitle says the paper is a survey or study of it. When the prefix abbreviates the
subtitle ("MMToM-QA: Multimodal Theory of Mind Question Answering") the two are recorded as an
acronym pair.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from kg.extract import candidates
from kg.extract.candidates import doc_text
from kg.extract.resources import load_resources
from kg.extract.schwartz_hearst import abbreviates
from kg.extract.tokens import TokenTable, get_group, set_group, token_table

MAX_PREFIX_TOKENS = 6
_SEPARATORS = (":", "-", "–", "—", "|")
_SURVEY = re.compile(r"\b(survey|review|overview|tutorial)\b", re.I)
#: The abstract says the paper brings something new.
_PROPOSES = re.compile(
    r"\b(?:we|this paper|this work|here)\b[^.]{0,30}?\b(?:propose|introduce|present|develop)",
    re.I,
)


class TitleName:
    def __init__(self, nlp: Language, name: str = "kg_title_name") -> None:
        self.name = name
        res = load_resources()
        self.survey = res.survey_words
        self.function_words = res.function_words_in_names
        self.head_words = frozenset(
            w for w, ts in res.head_types.items() if "Method" in ts or "Model" in ts
        )

    def _prefix_name(self, tt: TokenTable, sep: int, sub_end: int) -> bool:
        """Is the part before the colon (tokens before ``sep``) a name ("SimBa",
        "Categorical semiotics")?"""
        lex = tt.lex
        words = [k for k in range(sep) if not lex[k].is_punct]
        if not words or not lex[words[0]].upper_initial and not lex[words[0]].shape:
            return False
        if _SURVEY.search(tt.span_text(sep + 1, sub_end)):
            return False
        if lex[words[0]].shape:
            # "Jigsaw-R1: A Study of ...": a coined name is the paper's own even in a study
            return all(lex[k].namelike or lex[k].lower in self.function_words for k in words)
        words = [k for k in words if lex[k].lower not in ("'s", "’s")]  # "Mind's Eye"
        if {lex[k].lower for k in range(sep + 1, min(sep + 5, sub_end))} & self.survey:
            return False
        # plain words: capitalised or lower-case content words, no function words
        return len(words) <= 4 and all(
            not lex[k].is_stop and lex[k].lower not in self.function_words and not lex[k].like_num
            for k in words
        )

    def _leading_phrase(self, doc: Doc, tt: TokenTable, title_end: int) -> int:
        """End of a technical name the title starts with ("Neural Arithmetic Units for ..."),
        when the abstract says the paper proposes something; 0 when there is none."""
        if not _PROPOSES.search(doc_text(doc)[title_end:]):
            return 0
        lex = tt.lex
        end = 0
        for i in range(tt.n):
            x = lex[i]
            if tt.idx[i] >= title_end or x.is_punct or x.is_space:
                break
            if x.is_stop or x.lower in self.function_words or not x.upper_initial:
                break
            end = i + 1
        if end < 2:
            return 0
        if lex[end - 1].lower not in self.head_words:
            return 0
        for g in get_group(doc, candidates.GAZETTEER):
            if g.start < end <= g.end and 2 * (end - g.start) >= end:
                return 0  # mostly a known name ("Anatomical Foundation Models"): not new
        return end

    def __call__(self, doc: Doc) -> Doc:
        tt = token_table(doc)
        found: list[tuple[int, int, str]] = []
        title_end = doc._.kg_title_end if doc._.kg_title_end is not None else len(doc_text(doc))
        idx = tt.idx
        sep = None
        sub_end = None  # just after the title's last non-space token
        for i in range(tt.n):
            if idx[i] >= title_end:
                break
            if sep is None and i > 0 and tt.text[i] in _SEPARATORS:
                sep = i
            if not tt.lex[i].is_space:
                sub_end = i + 1
        if sep is not None and sep <= MAX_PREFIX_TOKENS:
            assert sub_end is not None  # the separator itself is a title token
            if self._prefix_name(tt, sep, sub_end):
                found.append((0, sep, "proposed"))
                self._pair_with_subtitle(doc, tt, sep, sub_end)
        elif sep is None:
            end = self._leading_phrase(doc, tt, title_end)
            if end:
                found.append((0, end, "proposed"))
        set_group(doc, candidates.TITLE_NAME, found)
        return doc

    def _pair_with_subtitle(self, doc: Doc, tt: TokenTable, sep: int, sub_end: int) -> None:
        """ "MMToM-QA: Multimodal Theory of Mind Question Answering": one entity, two names."""
        words = [k for k in range(sep) if not tt.lex[k].is_punct]
        prefix, subtitle = tt.span_text(0, sep), tt.span_text(sep + 1, sub_end)
        capitals = sum(c.isupper() for c in prefix)
        content = [k for k in range(sep + 1, sub_end) if tt.lex[k].upper_initial]
        if len(words) == 1 and capitals >= len(content) and abbreviates(prefix, subtitle):
            longs = [*get_group(doc, candidates.ACRONYM_LONG), (sep + 1, sub_end, prefix)]
            shorts = [*get_group(doc, candidates.ACRONYM_SHORT), (0, sep, subtitle)]
            set_group(doc, candidates.ACRONYM_LONG, longs)
            set_group(doc, candidates.ACRONYM_SHORT, shorts)


@Language.factory("kg_title_name")
def make_title_name(nlp: Language, name: str) -> TitleName:
    return TitleName(nlp, name)

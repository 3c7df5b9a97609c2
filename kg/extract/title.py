"""The title's own name: "DataMUX: Data Multiplexing for Neural Networks" proposes DataMUX.

A short, name-like prefix before a colon or dash is taken as the paper's contribution unless
the subtitle says the paper is a survey or study of it. When the prefix abbreviates the
subtitle ("MMToM-QA: Multimodal Theory of Mind Question Answering") the two are recorded as an
acronym pair.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc, Span

from kg.extract import candidates
from kg.extract.candidates import doc_text
from kg.extract.names import is_namelike, is_shape
from kg.extract.resources import load_resources
from kg.extract.schwartz_hearst import abbreviates

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
        self.function_words = {"of", "for", "with", "and", "in", "on", "to", "via", "from"}
        self.head_words = frozenset(
            w for w, ts in res.head_types.items() if "Method" in ts or "Model" in ts
        )

    def _prefix_name(self, doc: Doc, prefix: Span, subtitle: Span) -> bool:
        """Is the part before the colon a name ("SimBa", "Categorical semiotics")?"""
        words = [t for t in prefix if not t.is_punct]
        if not words or not words[0].text[:1].isupper() and not is_shape(words[0]):
            return False
        if _SURVEY.search(subtitle.text):
            return False
        if is_shape(words[0]):
            # "Jigsaw-R1: A Study of ...": a coined name is the paper's own even in a study
            return all(is_namelike(t) or t.lower_ in self.function_words for t in words)
        words = [t for t in words if t.lower_ not in ("'s", "’s")]  # "Mind's Eye"
        if {t.lower_ for t in subtitle[:4]} & self.survey:
            return False
        # plain words: capitalised or lower-case content words, no function words
        return len(words) <= 4 and all(
            not t.is_stop and t.lower_ not in self.function_words and not t.like_num for t in words
        )

    def _leading_phrase(self, doc: Doc, title_end: int) -> Span | None:
        """A title that starts with a technical name ("Neural Arithmetic Units for ..."),
        when the abstract says the paper proposes something."""
        if not _PROPOSES.search(doc_text(doc)[title_end:]):
            return None
        end = 0
        for tok in doc:
            if tok.idx >= title_end or tok.is_punct or tok.is_space:
                break
            if tok.is_stop or tok.lower_ in self.function_words or not tok.text[:1].isupper():
                break
            end = tok.i + 1
        if end < 2:
            return None
        head = doc[end - 1].lower_
        if head not in self.head_words:
            return None
        for g in doc.spans.get(candidates.GAZETTEER, []):
            if g.start < end <= g.end and 2 * (end - g.start) >= end:
                return None  # mostly a known name ("Anatomical Foundation Models"): not new
        return doc[0:end]

    def __call__(self, doc: Doc) -> Doc:
        found: list[Span] = []
        title_end = doc._.kg_title_end if doc._.kg_title_end is not None else len(doc_text(doc))
        sep = next(
            (t for t in doc if t.idx < title_end and t.text in _SEPARATORS and t.i > 0), None
        )
        if sep is not None and sep.i <= MAX_PREFIX_TOKENS:
            prefix = doc[0 : sep.i]
            sub_end = max(
                (t.i + 1 for t in doc if t.idx < title_end and not t.is_space), default=sep.i + 1
            )
            subtitle = doc[sep.i + 1 : sub_end]
            if self._prefix_name(doc, prefix, subtitle):
                found.append(Span(doc, prefix.start, prefix.end, label="proposed"))
                self._pair_with_subtitle(doc, prefix, subtitle)
        elif sep is None:
            lead = self._leading_phrase(doc, title_end)
            if lead is not None:
                found.append(Span(doc, lead.start, lead.end, label="proposed"))
        doc.spans[candidates.TITLE_NAME] = found
        return doc

    def _pair_with_subtitle(self, doc: Doc, prefix: Span, subtitle: Span) -> None:
        """ "MMToM-QA: Multimodal Theory of Mind Question Answering": one entity, two names."""
        words = [t for t in prefix if not t.is_punct]
        capitals = sum(c.isupper() for c in prefix.text)
        content = [t for t in subtitle if t.text[:1].isupper()]
        if len(words) == 1 and capitals >= len(content) and abbreviates(prefix.text, subtitle.text):
            longs = list(doc.spans.get(candidates.ACRONYM_LONG, []))
            shorts = list(doc.spans.get(candidates.ACRONYM_SHORT, []))
            longs.append(Span(doc, subtitle.start, subtitle.end, label=prefix.text))
            shorts.append(Span(doc, prefix.start, prefix.end, label=subtitle.text))
            doc.spans[candidates.ACRONYM_LONG] = longs
            doc.spans[candidates.ACRONYM_SHORT] = shorts


@Language.factory("kg_title_name")
def make_title_name(nlp: Language, name: str) -> TitleName:
    return TitleName(nlp, name)

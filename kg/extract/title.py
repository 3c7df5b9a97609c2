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
from kg.extract.names import is_namelike, is_shape
from kg.extract.resources import load_resources
from kg.extract.schwartz_hearst import abbreviates

MAX_PREFIX_TOKENS = 6
_SEPARATORS = (":", "-", "–", "—", "|")


class TitleName:
    def __init__(self, nlp: Language, name: str = "kg_title_name") -> None:
        self.name = name
        res = load_resources()
        self.survey = res.survey_words
        self.function_words = {"of", "for", "with", "and", "in", "on", "to", "via", "from"}

    def __call__(self, doc: Doc) -> Doc:
        found: list[Span] = []
        title_end = doc._.kg_title_end if doc._.kg_title_end is not None else len(doc.text)
        sep = next(
            (t for t in doc if t.idx < title_end and t.text in _SEPARATORS and t.i > 0), None
        )
        if sep is not None and sep.i <= MAX_PREFIX_TOKENS:
            prefix = doc[0 : sep.i]
            sub_end = max(
                (t.i + 1 for t in doc if t.idx < title_end and not t.is_space), default=sep.i + 1
            )
            subtitle = doc[sep.i + 1 : sub_end]
            words = [t for t in prefix if not t.is_punct]
            sub_words = {t.lower_ for t in subtitle[:4]}
            name_like = words and all(
                is_namelike(t) or t.lower_ in self.function_words for t in words
            )
            inner_function = [t for t in words if t.lower_ in self.function_words or t.is_stop]
            if (
                name_like
                and (is_shape(words[0]) or not inner_function)
                and not sub_words & self.survey
                and not re.search(r"\b(survey|review)\b", subtitle.text, re.I)
            ):
                found.append(Span(doc, prefix.start, prefix.end, label="proposed"))
                if len(words) == 1 and abbreviates(prefix.text, subtitle.text):
                    longs = list(doc.spans.get(candidates.ACRONYM_LONG, []))
                    shorts = list(doc.spans.get(candidates.ACRONYM_SHORT, []))
                    longs.append(Span(doc, subtitle.start, subtitle.end, label=prefix.text))
                    shorts.append(Span(doc, prefix.start, prefix.end, label=subtitle.text))
                    doc.spans[candidates.ACRONYM_LONG] = longs
                    doc.spans[candidates.ACRONYM_SHORT] = shorts
        doc.spans[candidates.TITLE_NAME] = found
        return doc


@Language.factory("kg_title_name")
def make_title_name(nlp: Language, name: str) -> TitleName:
    return TitleName(nlp, name)

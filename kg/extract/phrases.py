"""Technical noun phrases: a run of modifiers ending in a head word from ``kg/data/lexicon.json``.

"rule-based visual reinforcement learning", "graph neural networks", "premise selection".
Generic modifiers ("novel", "existing", "our") are trimmed from the front; a phrase whose head
is a weak word (model, method, framework) needs a technical modifier to count, and fields or
vague phrases from the umbrella list are dropped.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from kg.extract import candidates
from kg.extract.names import NOUN_TAGS, has_tags, is_modifier, is_shape
from kg.extract.resources import load_resources

MAX_MODIFIERS = 5
#: Without POS tags, these endings mark a word as an adjective.
_COUNT = re.compile(
    r"^(?:\d[\d.,]*[a-z]*|one|two|three|four|five|six|seven|eight|nine|ten|single|double"
    r"|multiple)(?:-[a-z]+)?$"
)
_ADJECTIVE_ENDINGS = ("ous", "ful", "less", "able", "ible", "ive", "ary", "ent", "ant", "ic", "ed")


class PhraseFinder:
    """Finds noun phrases headed by technical words and labels them with the head's type."""

    def __init__(self, nlp: Language, name: str = "kg_phrases") -> None:
        self.name = name
        self.res = load_resources()
        # head words as string-store hashes: the per-token test is then an int lookup
        self.head_ids = {
            nlp.vocab.strings.add(w)
            for w in self.res.head_types
            if self.res.head_type(w) != "Dataset"
        }
        self.noun_tag_ids = {nlp.vocab.strings.add(t) for t in NOUN_TAGS}

    def _is_head(self, doc: Doc, i: int, tagged: bool) -> bool:
        tok = doc[i]
        return tok.lower in self.head_ids and (not tagged or tok.tag in self.noun_tag_ids)

    def _plain_adjective(self, tok, tagged: bool) -> bool:
        """An everyday adjective that is not part of a technical name ("large", "careful")."""
        low = tok.lower_
        if low in self.res.technical_modifiers or "-" in low or is_shape(tok):
            return False
        if tok.text[:1].isupper() and not tok.is_sent_start:
            return False  # capitalised: part of a name ("Bayesian", "Knapsack")
        if tagged:
            return tok.tag_ in ("JJ", "JJR", "JJS", "VBN", "VBG", "RB")
        return low.endswith(_ADJECTIVE_ENDINGS)

    def phrase_at(self, doc: Doc, i: int, tagged: bool) -> Span | None:
        """The trimmed technical phrase headed by token ``i``, or None."""
        res = self.res
        start = i
        while start > 0 and i - start < MAX_MODIFIERS and not doc[start].is_sent_start:
            prev = doc[start - 1]
            if not is_modifier(prev, tagged, res.untagged_non_modifiers):
                break
            start -= 1
        # trim generic words and plain adjectives ("large", "careful") from the front
        while start < i and (
            doc[start].lower_ in res.generic_modifiers
            or doc[start].lower_ in res.umbrella_terms
            and doc[start].lower_ not in res.technical_modifiers
            or doc[start].like_num
            or _COUNT.match(doc[start].lower_)
            or self._plain_adjective(doc[start], tagged)
        ):
            start += 1
        span = doc[start : i + 1]
        low = span.text.lower()
        if low in res.umbrella_terms:
            return None
        if len(span) == 1:
            return None
        head = doc[i].lower_
        if head in res.weak_heads:
            mods = span[:-1]
            if not any(
                t.lower_ in res.technical_modifiers
                or is_shape(t)
                or t.lower_ in res.head_types
                or t.text[:1].isupper()
                and not t.is_sent_start
                for t in mods
            ):
                return None
        # "neural representations", "linear layers": one plain adjective before a structural
        # head word names no particular thing
        if (
            head in res.structural_heads
            and len(span) == 2
            and "-" not in span[0].text
            and not span[0].text[:1].isupper()
            and (not tagged or span[0].tag_.startswith("JJ"))
            and (tagged or span[0].lower_ not in res.head_types)
        ):
            return None
        # a phrase whose last modifier pair is itself umbrella ("deep learning models")
        rest = doc[start + 1 : i + 1].text.lower()
        if doc[start].lower_ in ("deep", "machine") and rest in res.umbrella_terms:
            return None
        if doc[start:i].text.lower() in res.umbrella_terms and head in res.weak_heads:
            return None
        return Span(doc, start, i + 1, label=res.head_type(head))

    def __call__(self, doc: Doc) -> Doc:
        tagged = has_tags(doc)
        spans: list[Span] = []
        for i in range(len(doc)):
            if self._is_head(doc, i, tagged):
                span = self.phrase_at(doc, i, tagged)
                if span is not None:
                    spans.append(span)
        doc.spans[candidates.PHRASE] = filter_spans(spans)
        return doc


@Language.factory("kg_phrases")
def make_phrases(nlp: Language, name: str) -> PhraseFinder:
    return PhraseFinder(nlp, name)

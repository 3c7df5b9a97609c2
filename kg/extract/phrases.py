"""Technical noun phrases: a run of modifiers ending in a head word from ``kg/data/lexicon.json``.

"rule-based visual reinforcement learning", "graph neural networks", "premise selection".
Generic modifiers ("novel", "existing", "our") are trimmed from the front; a phrase whose head
is a weak word (model, method, framework) needs a technical modifier to count, and fields or
vague phrases from the umbrella list are dropped.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from kg.extract import candidates
from kg.extract.names import NOUN_TAGS, is_modifier
from kg.extract.resources import load_resources
from kg.extract.tokens import TokenTable, filter_bounds, set_group, token_table

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
        self.heads = frozenset(w for w in self.res.head_types if self.res.head_type(w) != "Dataset")

    def _plain_adjective(self, tt: TokenTable, k: int) -> bool:
        """An everyday adjective that is not part of a technical name ("large", "careful")."""
        low = tt.lower[k]
        if low in self.res.technical_modifiers or "-" in low or tt.lex[k].shape:
            return False
        if tt.lex[k].upper_initial and not tt.sent_start[k]:
            return False  # capitalised: part of a name ("Bayesian", "Knapsack")
        if tt.tagged:
            return tt.tag[k] in ("JJ", "JJR", "JJS", "VBN", "VBG", "RB")
        return low.endswith(_ADJECTIVE_ENDINGS)

    def phrase_at(self, tt: TokenTable, i: int) -> tuple[int, int, str] | None:
        """(start, end, type) of the trimmed technical phrase headed by token ``i``, or None."""
        res = self.res
        lower, lex, starts = tt.lower, tt.lex, tt.sent_start
        start = i
        while start > 0 and i - start < MAX_MODIFIERS and not starts[start]:
            if not is_modifier(tt, start - 1, res.untagged_non_modifiers):
                break
            start -= 1
        # trim generic words and plain adjectives ("large", "careful") from the front
        while start < i and (
            lower[start] in res.generic_modifiers
            or lower[start] in res.umbrella_terms
            and lower[start] not in res.technical_modifiers
            or lex[start].like_num
            or _COUNT.match(lower[start])
            or self._plain_adjective(tt, start)
        ):
            start += 1
        if start == i:
            return None  # a head word alone is no phrase
        if tt.span_text(start, i + 1).lower() in res.umbrella_terms:
            return None
        head = lower[i]
        if head in res.weak_heads and not any(
            lower[k] in res.technical_modifiers
            or lex[k].shape
            or lower[k] in res.head_types
            or lex[k].upper_initial
            and not starts[k]
            for k in range(start, i)
        ):
            return None
        # "neural representations", "linear layers": one plain adjective before a structural
        # head word names no particular thing
        if (
            head in res.structural_heads
            and i - start == 1
            and "-" not in lex[start].text
            and not lex[start].upper_initial
            and (not tt.tagged or tt.tag[start].startswith("JJ"))
            and (tt.tagged or lower[start] not in res.head_types)
        ):
            return None
        # a phrase whose last modifier pair is itself umbrella ("deep learning models")
        if (
            lower[start] in ("deep", "machine")
            and tt.span_text(start + 1, i + 1).lower() in res.umbrella_terms
        ):
            return None
        if head in res.weak_heads and tt.span_text(start, i).lower() in res.umbrella_terms:
            return None
        return start, i + 1, res.head_type(head)

    def __call__(self, doc: Doc) -> Doc:
        tt = token_table(doc)
        heads, lower, tags = self.heads, tt.lower, tt.tag
        spans: list[tuple[int, int, str]] = []
        for i in range(tt.n):
            if lower[i] in heads and (not tt.tagged or tags[i] in NOUN_TAGS):
                span = self.phrase_at(tt, i)
                if span is not None:
                    spans.append(span)
        set_group(doc, candidates.PHRASE, filter_bounds(spans))
        return doc


@Language.factory("kg_phrases")
def make_phrases(nlp: Language, name: str) -> PhraseFinder:
    return PhraseFinder(nlp, name)

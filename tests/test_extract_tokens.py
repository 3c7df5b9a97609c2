"""The fast paths of extraction read what spaCy's own objects say: token table, sentencizer,
span filter, short-form search."""

from __future__ import annotations

import re

import spacy
from spacy.tokens import Span
from spacy.util import filter_spans

from kg.extract.assemble import find_words
from kg.extract.tokens import TokenTable, filter_bounds
from kg.nlp import BLANK, FastSentencizer, load_pipeline

TEXTS = [
    "Cerebras-GPT beats LLaMA-2-7B on CUB-200-2011 (multi-layer). See https://x.org/a_b!",
    "We propose DeepNet, a  model.\n\nIt is 3x faster than GPT-4 (OpenAI, 2023)... Really?",
    "",
    "   ",
    "e.g. the 7B model; i.e. “quoted” text — and ’s. Ünïcödé ΑΣ test.",
]


def test_token_table_matches_token_attributes():
    nlp = load_pipeline(BLANK)
    for text in TEXTS:
        doc = nlp(text)
        tt = TokenTable(doc)
        assert tt.n == len(doc) and tt.doc_text == doc.text
        for i, tok in enumerate(doc):
            x = tt.lex[i]
            assert (tt.text[i], tt.lower[i], tt.idx[i]) == (tok.text, tok.lower_, tok.idx)
            assert bool(tt.ws[i]) == bool(tok.whitespace_)
            assert tt.sent_start[i] == bool(tok.is_sent_start)
            assert (x.is_punct, x.is_space, x.is_stop, x.like_num) == (
                tok.is_punct,
                tok.is_space,
                tok.is_stop,
                tok.like_num,
            )
            assert (x.like_url, x.like_email, x.is_quote) == (
                tok.like_url,
                tok.like_email,
                tok.is_quote,
            )
            assert x.capital == (tok.is_title and not tok.is_stop and not tok.is_punct)
        for a in range(len(doc) + 1):
            for b in range(a, len(doc) + 1):
                assert tt.span_text(a, b) == doc[a:b].text


def test_fast_sentencizer_splits_as_spacy():
    nlp = load_pipeline(BLANK)
    assert isinstance(nlp.get_pipe("sentencizer"), FastSentencizer)
    ref = spacy.blank("en")
    ref.tokenizer = nlp.tokenizer
    ref.add_pipe("sentencizer")
    for text in [*TEXTS, "a. b! c? d", "x . \n. y", "。foo。bar", "Hi!!! Yes?! ok."]:
        assert [t.is_sent_start for t in nlp(text)] == [t.is_sent_start for t in ref(text)]


def test_filter_bounds_is_filter_spans():
    doc = spacy.blank("en")("a b c d e f g h")
    bounds = [(0, 2, "A"), (1, 3, "B"), (1, 3, "C"), (4, 5, "D"), (3, 6, "E"), (6, 8, "F")]
    spans = [Span(doc, s, e, label=lab) for s, e, lab in bounds]
    expected = [(s.start, s.end, s.label_) for s in filter_spans(spans)]
    assert filter_bounds(bounds) == expected


def test_find_words_is_the_alternation_regex():
    text = "KANs and KAN-based BT RM, BT RMs; xKAN KAN_ KAN."
    forms = {"KANs", "KAN", "BT RM", "BT RMs"}
    body = "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
    expected = [(m.start(), m.end()) for m in re.finditer(rf"(?<![\w-])(?:{body})(?![\w-])", text)]
    assert find_words(text, forms) == expected

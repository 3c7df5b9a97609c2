"""Gazetteer matching: known names in any case, acronyms only as written."""

from __future__ import annotations

import pytest

from kg.extract import Extractor
from kg.model import Paper


@pytest.fixture(scope="module", params=["blank", "en_core_web_sm"])
def ex(request) -> Extractor:
    return Extractor(model=request.param, learned=None)


def _names(ex: Extractor, abstract: str) -> dict[str, str]:
    (pe,) = ex.extract([Paper(id="t", title="A study", abstract=abstract)])
    return {e.name: e.type for e in pe.entities}


def test_all_capitals_name_does_not_match_the_english_word(ex):
    names = _names(ex, "Our agents learn to mimic expert drivers and to drop unsafe actions.")
    assert not {n for n in names if n.lower() in {"mimic", "mimic-iii", "drop"}}


def test_all_capitals_name_matches_as_written(ex):
    names = _names(ex, "We train a transformer on MIMIC and evaluate it on DROP.")
    assert any(n.startswith("MIMIC") and t == "Dataset" for n, t in names.items())


def test_mixed_case_names_match_in_any_case(ex):
    names = _names(ex, "We pretrain a resnet on imagenet for image classification.")
    assert {"imagenet", "resnet"} <= {n.lower() for n in names}

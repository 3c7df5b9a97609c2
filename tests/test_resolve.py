"""Name resolution across papers: merges what is the same, never what only looks alike."""

from __future__ import annotations

from kg.model import Evidence, ExtractedEntity, ExtractedRelation, Paper, PaperExtraction
from kg.resolve import entity_key, match_key, resolve, words


def _pe(pid: str, *ents: tuple, rels: tuple = ()) -> PaperExtraction:
    paper = Paper(id=pid, title=f"Paper {pid}", abstract="An abstract.")
    entities = [
        ExtractedEntity(
            name=n,
            type=t,
            role=r,
            aliases=list(a),
            mentions=[Evidence(f"We use {n}.", 7, 7 + len(n), 0)],
        )
        for n, t, r, a in ents
    ]
    relations = [ExtractedRelation(h, rel, tl) for h, rel, tl in rels]
    return PaperExtraction(paper=paper, entities=entities, relations=relations)


def _by_name(corpus):
    return {e.name: e for e in corpus.entities.values()}


def test_keys_ignore_case_hyphens_articles_and_plural():
    assert match_key("Cerebras-GPT") == match_key("cerebras gpt") == match_key("Cerebras\u2013GPT")
    assert match_key("CNNs") == match_key("CNN")
    assert match_key("the Pile") == match_key("Pile")
    assert match_key("GPT-2") != match_key("GPT-3")
    assert entity_key("Large Language Models") == "large-language-model"
    assert words("ResNet-50") == ["resnet", "50"]


def test_hostile_and_non_latin_names_get_usable_keys():
    assert entity_key("模型") == "模型"
    assert entity_key("🤖").startswith("x")
    assert entity_key('my "quoted" <name>') == "my-quoted-name"


def test_acronym_and_long_form_are_one_entity_across_papers():
    corpus = resolve(
        [
            _pe("p1", ("Maximal Update Parameterization", "Method", "used", ["muP"])),
            _pe("p2", ("muP", "Method", "used", [])),
            _pe("p3", ("maximal update parameterization", "Method", "proposed", [])),
        ]
    )
    assert len(corpus.entities) == 1
    ent = next(iter(corpus.entities.values()))
    assert ent.name == "Maximal Update Parameterization"
    assert "muP" in ent.aliases
    assert ent.papers == {"p1": "used", "p2": "used", "p3": "proposed"}


def test_ambiguous_acronym_is_not_merged():
    corpus = resolve(
        [
            _pe("p1", ("continual learning", "Task", "used", ["CL"])),
            _pe("p2", ("contrastive learning", "Method", "used", ["CL"])),
            _pe("p3", ("CL", "Method", "used", [])),
        ]
    )
    names = _by_name(corpus)
    assert {"continual learning", "contrastive learning", "CL"} <= set(names)
    assert names["continual learning"].papers == {"p1": "used"}
    assert names["contrastive learning"].papers == {"p2": "used"}


def test_versions_stay_distinct_but_linked():
    corpus = resolve(
        [
            _pe("p1", ("ResNet-50", "Model", "used", []), ("ResNet", "Model", "used", [])),
            _pe("p2", ("GPT-2", "Model", "used", []), ("GPT-3", "Model", "used", [])),
        ]
    )
    names = _by_name(corpus)
    assert names["ResNet-50"].variant_of == {names["ResNet"].key}
    assert names["GPT-2"].variant_of == set() and names["GPT-2"].key != names["GPT-3"].key


def test_type_is_a_vote_and_relations_map_to_entities():
    corpus = resolve(
        [
            _pe(
                "p1",
                ("BERT", "Model", "used", []),
                ("SQuAD", "Dataset", "used", []),
                rels=(("BERT", "evaluatedOn", "SQuAD"),),
            ),
            _pe("p2", ("BERT", "Model", "used", [])),
            _pe("p3", ("BERT", "Method", "used", [])),
        ]
    )
    names = _by_name(corpus)
    assert names["BERT"].type == "Model"
    assert [(r.head, r.relation, r.tail, r.paper_id) for r in corpus.relations] == [
        (names["BERT"].key, "evaluatedOn", names["SQuAD"].key, "p1")
    ]


def test_result_does_not_depend_on_input_order():
    exs = [
        _pe("a", ("Vision Transformer", "Model", "used", ["ViT"])),
        _pe("b", ("ViT", "Model", "proposed", [])),
        _pe("c", ("vision transformers", "Model", "used", [])),
    ]
    one, two = resolve(exs), resolve(list(reversed(exs)))
    assert {k: (e.name, e.papers, sorted(e.aliases)) for k, e in one.entities.items()} == {
        k: (e.name, e.papers, sorted(e.aliases)) for k, e in two.entities.items()
    }

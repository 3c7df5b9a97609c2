"""Name resolution across papers: merges what is the same, never what only looks alike."""

from __future__ import annotations

from kg.graph import build_graph
from kg.model import (
    Evidence,
    ExtractedEntity,
    ExtractedRelation,
    Paper,
    PaperExtraction,
    PaperNames,
)
from kg.namespaces import KG, RDF, SKOS
from kg.rdf import to_rdf
from kg.resolve import entity_key, match_key, resolve, resolve_names, words


def _pe(pid: str, *ents: tuple, rels: tuple = ()) -> PaperExtraction:
    paper = Paper(id=pid, title=f"Paper {pid}", abstract="An abstract.")
    entities = [
        ExtractedEntity(
            name=n,
            type=t,
            role=r,
            aliases=list(a),
            confidence=conf[0] if conf else 1.0,
            mentions=[Evidence(f"We use {n}.", 7, 7 + len(n), 0)],
        )
        for n, t, r, a, *conf in ents
    ]
    relations = [ExtractedRelation(h, rel, tl) for h, rel, tl in rels]
    return PaperExtraction(paper=paper, entities=entities, relations=relations)


def _by_name(corpus):
    return {e.name: e for e in corpus.entities.values()}


def _named(corpus, name):
    """The one entity that has ``name`` as its name or an alias."""
    (ent,) = [e for e in corpus.entities.values() if name in {e.name, *e.aliases}]
    return ent


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


def test_plural_and_spelling_variants_share_a_key():
    assert match_key("LLMs") == match_key("LLM") and match_key("ReLUs") == match_key("ReLU")
    assert match_key("strategies") == match_key("strategy")
    assert match_key("approaches") == match_key("approach")
    assert match_key("language modelling") == match_key("language modeling")
    assert match_key("Tokenisation") == match_key("tokenization")
    assert match_key("corpus") != match_key("corpu") and match_key("GPTs") == match_key("GPT")


def test_majority_of_papers_decides_an_acronym():
    """Three papers define RL as reinforcement learning, one as representation learning: the
    bare RL of other papers joins the majority; the minority paper keeps its own reading."""
    corpus = resolve(
        [
            _pe("p1", ("reinforcement learning", "Method", "used", ["RL"])),
            _pe("p2", ("Reinforcement Learning", "Method", "used", ["RL"])),
            _pe("p3", ("reinforcement learning", "Method", "used", ["RL"])),
            _pe("p4", ("representation learning", "Method", "used", ["RL"])),
            _pe("p5", ("RL", "Method", "used", [])),
            _pe("p6", ("RLs", "Method", "used", [])),
        ]
    )
    names = _by_name(corpus)
    rl = names["reinforcement learning"]
    assert rl.papers.keys() == {"p1", "p2", "p3", "p5", "p6"}
    assert names["representation learning"].papers == {"p4": "used"}
    assert "RL" not in names
    p4 = [m for m in corpus.mentions if m.paper_id == "p4"]
    assert [m.entity_key for m in p4] == [names["representation learning"].key]


def test_real_conflict_stays_split_and_says_why():
    exs = [
        _pe("p1", ("continual learning", "Task", "used", ["CL"])),
        _pe("p2", ("continual learning", "Task", "used", ["CL"])),
        _pe("p3", ("contrastive learning", "Method", "used", ["CL"])),
        _pe("p4", ("contrastive learning", "Method", "used", ["CL"])),
        _pe("p5", ("CL", "Method", "used", [])),
    ]
    index = resolve_names(PaperNames.of(pe) for pe in exs)
    by_name = {e.name: e for e in index.entities.values()}
    assert by_name["CL"].papers == {"p5": "used"}
    assert by_name["continual learning"].papers.keys() == {"p1", "p2"}
    (decision,) = index.decisions
    assert decision.outcome == "split" and decision.reason == "papers disagree"
    assert sorted(decision.candidates) == [("continual learning", 2), ("contrastive learning", 2)]
    assert "CL: split (papers disagree)" in str(decision)


def test_longer_forms_of_the_leader_do_not_disagree():
    corpus = resolve(
        [
            _pe("p1", ("convolutional neural networks", "Method", "used", ["CNNs"])),
            _pe("p2", ("convolutional neural network", "Method", "used", ["CNN"])),
            _pe("p3", ("deep convolutional neural network", "Method", "used", ["CNN"])),
            _pe("p4", ("CNN", "Method", "used", [])),
        ]
    )
    (cnn,) = [e for e in corpus.entities.values() if e.key == "convolutional-neural-network"]
    assert cnn.papers.keys() == {"p1", "p2", "p4"}
    assert _by_name(corpus)["deep convolutional neural network"].papers.keys() == {"p3"}


def test_gazetteer_is_evidence_for_pairs_and_types():
    """The gazetteer knows CNN = convolutional neural network = convolutional network, and that
    DPO is direct preference optimization: that outvotes one paper's odd expansion."""
    exs = [
        _pe("p1", ("CNN", "Model", "used", [])),
        _pe("p2", ("convolutional networks", "Method", "used", [])),
        _pe("p3", ("cross-model collaborative DPO", "Method", "proposed", ["DPO"])),
        _pe("p4", ("DPO", "Method", "used", [])),
    ]
    names = _by_name(resolve(exs))
    cnn = names["convolutional networks"]
    assert cnn.papers.keys() == {"p1", "p2"} and cnn.type == "Method"
    assert names["DPO"].papers == {"p4": "used"}
    assert names["cross-model collaborative DPO"].papers == {"p3": "proposed"}


def test_vendor_prefix_and_initials_join_undefined_short_forms():
    corpus = resolve(
        [
            _pe("p1", ("OpenAI o3", "Model", "used", [])),
            _pe("p2", ("o3", "Model", "used", [])),
            _pe("p3", ("question answering", "Task", "used", [])),
            _pe("p4", ("QA", "Task", "used", [])),
            _pe("p5", ("test-time adaptation", "Method", "used", [])),
            _pe("p6", ("TTA", "Method", "used", []), ("tool-to-action", "Method", "used", [])),
        ]
    )
    assert _named(corpus, "OpenAI o3") is _named(corpus, "o3")
    assert _named(corpus, "o3").papers.keys() == {"p1", "p2"}
    assert _named(corpus, "QA").papers.keys() == {"p3", "p4"}
    assert _named(corpus, "TTA").papers == {"p6": "used"}, "two long forms spell TTA: left split"


def test_type_is_a_weighted_vote_over_all_mentions():
    """One paper's long form outweighs two bare short forms typed by their shape alone; a paper
    votes once however often it repeats a type; the losing type is kept nowhere."""
    corpus = resolve(
        [
            _pe("p1", ("SAT", "Model", "used", [], 0.9)),
            _pe("p2", ("SAT", "Model", "used", [], 0.9)),
            _pe("p3", ("satisfiability", "Task", "used", ["SAT"], 0.95)),
            _pe(
                "p4",
                ("Mamba", "Model", "used", []),
                ("mamba", "Model", "used", []),
                ("MAMBA", "Model", "used", []),
            ),
            _pe("p5", ("Mamba", "Method", "used", [])),
        ]
    )
    names = _by_name(corpus)
    assert names["satisfiability"].type == "Task"
    # p4 votes Model once (three mentions), p5 Method, and the gazetteer says Method
    assert names["Mamba"].type == "Method"
    g = build_graph(corpus)
    rdf = to_rdf(g)
    sat = next(
        s for s, _, o in rdf.triples((None, SKOS.prefLabel, None)) if str(o) == "satisfiability"
    )
    assert set(rdf.objects(sat, RDF.type)) == {KG.Entity, KG.Task}


def test_junk_names_are_dropped_in_resolution_too():
    """Extractions written before cleaning existed (an old extractions.jsonl) cannot bring junk
    back: junk entities, aliases and relations to them are dropped, markup is stripped."""
    corpus = resolve(
        [
            _pe(
                "p1",
                ("Direct Feedback Alignment~", "Method", "used", ["(DFA"]),
                ("1.5B", "Model", "used", []),
                ("New", "Dataset", "used", []),
                rels=(("Direct Feedback Alignment~", "trainedOn", "New"),),
            ),
            _pe("p2", ("DFA", "Method", "used", [])),
        ]
    )
    names = _by_name(corpus)
    assert set(names) == {"Direct Feedback Alignment"}
    assert names["Direct Feedback Alignment"].aliases == {"DFA"}
    assert names["Direct Feedback Alignment"].papers.keys() == {"p1", "p2"}
    assert corpus.relations == []
    assert [m.surface for m in corpus.mentions] == ["Direct Feedback Alignment~", "DFA"]


def test_order_independence_with_conflicts_and_votes():
    import random

    exs = [
        _pe("a", ("continual learning", "Task", "used", ["CL"])),
        _pe("b", ("contrastive learning", "Method", "used", ["CL"])),
        _pe("c", ("CL", "Method", "used", [])),
        _pe("d", ("reinforcement learning", "Method", "used", ["RL"])),
        _pe("e", ("RL", "Model", "used", []), ("QA", "Task", "used", [])),
        _pe("f", ("question answering", "Task", "used", [])),
        _pe("g", ("OpenAI o1", "Model", "used", []), ("o1", "Model", "used", [])),
    ]

    def snapshot(corpus):
        return {
            k: (e.name, e.type, e.papers, sorted(e.aliases)) for k, e in corpus.entities.items()
        }

    want = snapshot(resolve(exs))
    for seed in range(5):
        shuffled = exs[:]
        random.Random(seed).shuffle(shuffled)
        assert snapshot(resolve(shuffled)) == want


def test_part_of_a_longer_name_stays_its_own_thing_when_papers_name_it_alone():
    """One paper folding "language models" into "large language models" does not glue the
    two nodes together when other papers name "language models" on their own."""
    folds = _pe("p1", ("large language models", "Method", "used", ["language models"]))
    alone = [_pe(p, ("language models", "Method", "used", [])) for p in ("p2", "p3")]
    index = resolve_names(PaperNames.of(pe) for pe in [folds, *alone])
    by_name = {e.name: e for e in index.entities.values()}
    assert by_name["language models"].papers.keys() == {"p2", "p3"}
    assert by_name["large language models"].papers.keys() == {"p1"}
    (decision,) = index.decisions
    assert decision.outcome == "split"
    assert decision.reason == "part of a longer name, named on its own in 2 papers"
    # when more papers fold it in than name it alone, it joins the longer name
    more = [_pe(p, ("large language models", "Method", "used", ["language models"])) for p in "xy"]
    index = resolve_names(PaperNames.of(pe) for pe in [folds, *more, alone[0]])
    (ent,) = [e for e in index.entities.values() if e.name == "large language models"]
    assert {"p1", "x", "y", "p2"} <= ent.papers.keys()
    # an acronym is never a "part": LLM joins its long form however often it stands alone
    acr = [_pe(p, ("LLM", "Method", "used", [])) for p in ("a", "b", "c")]
    index = resolve_names(
        PaperNames.of(pe)
        for pe in [*acr, _pe("d", ("large language model", "Method", "used", ["LLM"]))]
    )
    assert len(index.entities) == 1

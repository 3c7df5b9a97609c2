"""The ``kg_learned`` pipeline component: the trained model decides entities, roles, relations.

It runs after the rule components and the assembler, whose spans and entities are its
candidates and features, and writes ``doc._.kg_entities`` and ``doc._.kg_relations`` in the
shapes the rule components use, so ``kg_finalize`` and everything downstream are unchanged.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from kg.extract.learned.bundle import DEFAULT_MODEL_NAME, Bundle, load_bundle
from kg.extract.learned.decode import extract_doc
from kg.extract.resources import load_resources


class LearnedExtractor:
    def __init__(self, nlp: Language, name: str, model: str, bundle: Bundle | None = None):
        self.name = name
        self.bundle = bundle or load_bundle(model)
        self.res = load_resources()

    def __call__(self, doc: Doc) -> Doc:
        ents, rels = extract_doc(doc, self.bundle, self.res)
        doc._.kg_entities = ents
        doc._.kg_relations = rels
        return doc


@Language.factory("kg_learned", default_config={"model": DEFAULT_MODEL_NAME})
def make_learned(nlp: Language, name: str, model: str) -> LearnedExtractor:
    return LearnedExtractor(nlp, name, model)

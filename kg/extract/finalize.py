"""Last component: package the result as plain data and drop what no one reads any more.

With ``nlp.pipe(n_process=2)`` every doc is serialised back to the parent process; the
tok2vec tensor and the candidate span groups would make that the slowest step, and only
``doc._.kg_result`` is used from here on.
"""

from __future__ import annotations

import numpy
from spacy.language import Language
from spacy.tokens import Doc

from kg.extract import candidates  # noqa: F401  (registers Doc extensions)
from kg.extract.tokens import forget_table

#: Keys of an assembled entity that are internal to the worker (token offsets, flags).
_INTERNAL = ("tokens", "known", "in_title", "features", "type_p", "_ms")


@Language.component("kg_finalize")
def finalize(doc: Doc) -> Doc:
    """Set ``doc._.kg_result`` = {"entities": [...], "relations": [...]} and slim the doc."""
    ext = doc._  # each ``doc._`` builds an accessor object
    ents = ext.kg_entities or []
    ext.kg_result = {
        "entities": [{k: v for k, v in e.items() if k not in _INTERNAL} for e in ents],
        "relations": list(ext.kg_relations or []),
    }
    ext.kg_entities = None
    ext.kg_relations = None
    ext.kg_sentences = None
    ext.kg_text = None
    forget_table(doc)
    doc.tensor = numpy.zeros((0,), dtype="float32")
    return doc

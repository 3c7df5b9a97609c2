"""Shared vocabulary of the extraction components: span-group names and Doc extensions.

Each rule component writes candidate spans into its own group (label = the type it suggests,
or ""); the assembler reads them all. The groups hold plain ``Cand`` tuples, kept with the
doc's token table, rather than ``doc.spans``: a ``SpanGroup`` builds a ``Span`` object per
span on every write and every read. Only ``doc._.kg_result`` (plain JSON-able dicts) leaves
the worker process, so ``nlp.pipe(n_process=2)`` returns it intact.
"""

from __future__ import annotations

from typing import NamedTuple

from spacy.tokens import Doc

GAZETTEER = "kg_gazetteer"
ACRONYM_LONG = "kg_acronym_long"
ACRONYM_SHORT = "kg_acronym_short"
SHAPE = "kg_shape"
DATASET_CUE = "kg_dataset_cue"
LIST_CUE = "kg_list_cue"
PROPOSED = "kg_proposed"
TITLE_NAME = "kg_title_name"
PHRASE = "kg_phrase"

#: Order matters when two rules disagree on a type: earlier groups are trusted more.
CANDIDATE_GROUPS: tuple[str, ...] = (
    GAZETTEER,
    ACRONYM_LONG,
    ACRONYM_SHORT,
    TITLE_NAME,
    PROPOSED,
    DATASET_CUE,
    LIST_CUE,
    SHAPE,
    PHRASE,
)

#: Short names of the rule families, as written to ``ExtractedEntity.source``.
SOURCE_NAMES: dict[str, str] = {
    GAZETTEER: "gazetteer",
    ACRONYM_LONG: "acronym",
    ACRONYM_SHORT: "acronym",
    TITLE_NAME: "title",
    PROPOSED: "proposal",
    DATASET_CUE: "dataset-cue",
    LIST_CUE: "list-cue",
    SHAPE: "shape",
    PHRASE: "phrase",
}


class Cand(NamedTuple):
    """A rule's candidate span: token bounds, a label (the type it suggests, a role, or the
    other form of an acronym pair) and the gazetteer entry it matched."""

    start: int
    end: int
    label: str = ""
    kb_id: str = ""


def register_extensions() -> None:
    """Doc attributes the components share (idempotent)."""
    if not Doc.has_extension("kg_title_end"):
        # Character offset where the title ends (the abstract starts after TITLE_SEP).
        Doc.set_extension("kg_title_end", default=None)
    if not Doc.has_extension("kg_text"):
        # doc.text rebuilds the string from every token on each access; read it once.
        Doc.set_extension("kg_text", default=None)
    if not Doc.has_extension("kg_sentences"):
        # Sentence bounds (start tok, end tok, start char, end char), set once sentences are
        # final; components read these instead of re-walking doc.sents.
        Doc.set_extension("kg_sentences", default=None)
    if not Doc.has_extension("kg_tokens"):
        # The doc's tokens as plain lists (kg.extract.tokens.TokenTable), built once sentence
        # boundaries are final.
        Doc.set_extension("kg_tokens", default=None)
    if not Doc.has_extension("kg_entities"):
        # Assembled entities: list of dicts (name, type, role, aliases, confidence, source,
        # mentions=[(start, end)]), read by the relation component.
        Doc.set_extension("kg_entities", default=None)
    if not Doc.has_extension("kg_relations"):
        # Relations found: list of dicts (head, relation, tail, confidence, span, sent).
        Doc.set_extension("kg_relations", default=None)
    if not Doc.has_extension("kg_result"):
        # Final JSON-able result: {"entities": [...], "relations": [...]}.
        Doc.set_extension("kg_result", default=None)


def doc_text(doc: Doc) -> str:
    """The doc's text, computed once per doc."""
    text = doc._.kg_text
    if text is None:
        text = doc.text
        doc._.kg_text = text
    return text


register_extensions()

"""The public face of extraction: ``Extractor(model).extract(papers)``.

Builds the spaCy pipeline with our components appended, streams papers through ``nlp.pipe``
(optionally in several processes) and turns each doc's plain result dict into a
``PaperExtraction``. Two modes:

- **learned** (the default): the rule components propose candidates and features, and the
  trained model in ``kg/models/default`` decides entities, types, roles and relations
  (``kg.extract.learned``). It runs on the pipeline it was trained on (``model="auto"``): the
  shipped one on ``spacy.blank("en")``, which needs no tagger and is fast;
- **rules** (``model="blank"``, or ``learned=None``): the rules decide alone, with their small
  keep/drop filter; on the tagged English model (``learned=None``) they read POS tags.
"""

from __future__ import annotations

import hashlib
import warnings
from collections import deque
from collections.abc import Iterable, Iterator
from pathlib import Path

from spacy.language import Language

# importing the component modules registers their factories with spaCy
from kg.extract import (  # noqa: F401
    acronyms,
    assemble,
    dataset_cues,
    entity_filter,
    finalize,
    gazetteer,
    list_cues,
    phrases,
    proposals,
    relations,
    sentences,
    shapes,
    title,
)
from kg.extract.clean import clean_extraction
from kg.extract.learned import component as _learned_component  # noqa: F401
from kg.extract.learned.bundle import (
    DEFAULT_MODEL_NAME,
    model_digest,
    model_dir,
    require,
    trained_pipeline,
)
from kg.extract.parallel import parallel_results
from kg.extract.resources import data_digest
from kg.model import Evidence, ExtractedEntity, ExtractedRelation, Paper, PaperExtraction
from kg.nlp import (
    AUTO,
    BLANK,
    DEFAULT_MODEL,
    RULE_LEX_ATTRS,
    compute_only,
    load_pipeline,
    pipeline_id,
    resolve_model_name,
)

#: Release of the rules; ``version`` also hashes the rule code and the data files.
CODE_VERSION = "0.4"

#: The rule components that find and assemble candidates, in order, after the tagger.
RULE_COMPONENTS: tuple[str, ...] = (
    "kg_title_sentence",
    "kg_gazetteer",
    "kg_acronyms",
    "kg_shapes",
    "kg_title_name",
    "kg_dataset_cues",
    "kg_list_cues",
    "kg_proposals",
    "kg_phrases",
    "kg_assemble",
)
#: Rule-only mode: the rules' keep/drop filter and relation cues decide.
COMPONENTS: tuple[str, ...] = (*RULE_COMPONENTS, "kg_filter", "kg_relations", "kg_finalize")
#: What the learned model reads: the rules' spans, entities and relation verdicts.
CANDIDATE_COMPONENTS: tuple[str, ...] = (*RULE_COMPONENTS, "kg_relations")
#: Learned mode: the trained model decides on the rules' candidates.
LEARNED_COMPONENTS: tuple[str, ...] = (*CANDIDATE_COMPONENTS, "kg_learned", "kg_finalize")


def _code_digest() -> str:
    """Hash of the extraction code itself, so an edited rule never reuses stale cached results."""
    h = hashlib.sha256()
    root = Path(__file__).parent
    for path in sorted(root.rglob("*.py")):
        h.update(path.relative_to(root).as_posix().encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:12]


class PipelineMismatchWarning(UserWarning):
    """A learned model was asked for on a pipeline it was not trained on: the rules decide."""


def choose_pipeline(model: str, learned: str | None) -> tuple[str, str | None]:
    """The spaCy pipeline to load and the learned model to run on it (None: the rules).

    ``model="auto"`` loads the pipeline the learned model was trained on (``en_core_web_sm``
    when there is none); an explicit ``"blank"`` means the rules alone, fastest. A learned
    model runs only on the kind of pipeline it learned from (tagged or blank): its features
    and candidates differ between the two.
    """
    if learned is not None and learned != DEFAULT_MODEL_NAME:
        require(learned)  # a model asked for by name must exist; the default may be absent
    trained_on = trained_pipeline(learned) if learned is not None and model != BLANK else None
    asked = model
    if model == AUTO:
        model = trained_on or DEFAULT_MODEL
    if trained_on is None or (trained_on == BLANK) != (resolve_model_name(model) == BLANK):
        if trained_on is not None and asked != AUTO:
            warnings.warn(
                f"the learned model {learned!r} was trained on the {trained_on!r} pipeline, so "
                f"with {asked!r} the rules decide (--model auto runs the learned model)",
                PipelineMismatchWarning,
                stacklevel=3,
            )
        return model, None
    return model, learned


def _add_components(
    nlp: Language, names: tuple[str, ...], learned_filter: bool, learned: str | None
) -> Language:
    for name in names:
        config: dict = {}
        if name == "kg_filter":
            config = {"enabled": learned_filter}
        elif name == "kg_learned":
            config = {"model": str(learned)}
        elif name == "kg_assemble" and names is not COMPONENTS:
            config = {"features": False}  # only the rules' own filter reads them
        nlp.add_pipe(name, config=config)
    return nlp


def assemble_pipeline(model: str, learned: str | None, learned_filter: bool = True) -> Language:
    """``load_pipeline(model)`` plus our components for a pipeline and model as
    ``choose_pipeline`` returned them: the learned ones when ``learned`` is a model."""
    names = LEARNED_COMPONENTS if learned is not None else COMPONENTS
    nlp = load_pipeline(model)
    if learned is None and resolve_model_name(model) == BLANK:
        compute_only(nlp, RULE_LEX_ATTRS)  # the rules alone: no word shapes
    return _add_components(nlp, names, learned_filter, learned)


def build_pipeline(
    model: str = AUTO,
    learned_filter: bool = True,
    learned: str | None = DEFAULT_MODEL_NAME,
    candidates_only: bool = False,
) -> Language:
    """The spaCy pipeline extraction runs: ``load_pipeline(model)`` plus our components.

    With a trained ``learned`` model (a name under ``kg/models`` or a folder) that fits the
    pipeline (see ``choose_pipeline``), the learned components decide; otherwise the rules
    do. ``learned_filter=False`` keeps every rule candidate in rule-only mode;
    ``candidates_only`` stops after the assembler (what training reads: spans, rule
    entities and token vectors, if any).
    """
    if candidates_only:
        nlp = load_pipeline(DEFAULT_MODEL if model == AUTO else model)
        return _add_components(nlp, CANDIDATE_COMPONENTS, learned_filter, None)
    return assemble_pipeline(*choose_pipeline(model, learned), learned_filter)


class Extractor:
    """Extracts entities and relations from papers; see ``kg.model.PaperExtraction``."""

    def __init__(
        self,
        model: str = AUTO,
        learned_filter: bool = True,
        learned: str | None = DEFAULT_MODEL_NAME,
    ) -> None:
        chosen, learned = choose_pipeline(model, learned)
        self.nlp = assemble_pipeline(chosen, learned, learned_filter)
        # what worker processes rebuild the pipeline from (the choice already made)
        self._build_args = (chosen, learned, learned_filter)
        tagged = "tagger" in self.nlp.pipe_names
        #: "learned" (trained model decides), "full" (tagged rules) or "rules" (blank).
        self.mode = "learned" if learned is not None else "full" if tagged else "rules"
        #: The pipeline actually loaded: an installed package name, a path, or "blank".
        self.model = resolve_model_name(chosen) if tagged else BLANK
        pipe = pipeline_id(self.nlp) if tagged else BLANK
        learned_id = ""
        if learned is not None:
            learned_id = f"|{model_digest(model_dir(learned))}"
        digest = hashlib.sha256(
            f"{CODE_VERSION}|{data_digest()}|{_code_digest()}{learned_id}".encode()
        ).hexdigest()[:10]
        self._version = f"kg-extract-{CODE_VERSION}+{digest}+{pipe}"

    @property
    def version(self) -> str:
        """Changes whenever rules, data files or the spaCy pipeline change (the cache key)."""
        return self._version

    def extract(
        self, papers: Iterable[Paper], n_process: int = 1, batch_size: int = 64
    ) -> Iterator[PaperExtraction]:
        """Yield one ``PaperExtraction`` per paper, in input order.

        ``n_process > 1`` runs the pipeline in worker processes (see
        :mod:`kg.extract.parallel`); results are identical to ``n_process=1``.
        """
        pending: deque[Paper] = deque()

        def feed() -> Iterator[str]:
            for paper in papers:
                pending.append(paper)
                yield paper.text

        if n_process > 1:
            results: Iterator[dict] = parallel_results(
                self.nlp,
                feed(),
                n_process,
                batch_size,
                assemble_pipeline,
                self._build_args,
            )
        else:
            results = (
                doc._.kg_result or {} for doc in self.nlp.pipe(feed(), batch_size=batch_size)
            )
        for result in results:
            yield to_extraction(pending.popleft(), result, self.version)

    def extract_one(self, paper: Paper) -> PaperExtraction:
        return next(self.extract([paper]))


def _evidence(text: str, start: int, end: int, s0: int, s1: int) -> Evidence:
    return Evidence(sentence=text[s0:s1], start=start, end=end, sent_start=s0)


def to_extraction(paper: Paper, result: dict, version: str) -> PaperExtraction:
    """Build the typed record from a doc's plain result dict.

    Every extractor's output passes here, so names are cleaned here (``kg.extract.clean``):
    markup and artefacts go, junk names and the relations that lose an end are dropped.
    """
    text = paper.text
    entities = [
        ExtractedEntity(
            name=e["name"],
            type=e["type"],
            role=e["role"],
            aliases=list(e["aliases"]),
            confidence=float(e["confidence"]),
            mentions=[_evidence(text, *m) for m in e["mentions"]],
            source=e["source"],
        )
        for e in result.get("entities", [])
    ]
    rels = [
        ExtractedRelation(
            head=r["head"],
            relation=r["relation"],
            tail=r["tail"],
            confidence=float(r["confidence"]),
            evidence=_evidence(text, *r["span"], *r["sent"]),
        )
        for r in result.get("relations", [])
    ]
    entities, rels = clean_extraction(entities, rels)
    return PaperExtraction(paper=paper, entities=entities, relations=rels, extractor=version)

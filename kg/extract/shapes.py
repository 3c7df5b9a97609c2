"""Names by their shape: GPT-2, ResNet-50, CIFAR-10, InternLM-XComposer2.5, LLaMA 2 7B.

A token looks like a name when it mixes case inside a word, has two capitals, or mixes letters
and digits. The Matcher extends it with a version or size token ("Llama 3 405B") and a
capitalised word before it ("Code LLaMA"). Titles are title-cased, so there only internal
capitals or digits count.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from kg.extract import candidates
from kg.extract.resources import load_resources

#: Mixed case inside a word (ResNet, muP), two capitals (MNIST, Cerebras-GPT), or letters with
#: digits (GPT2, CIFAR-10, Qwen2.5); at least two characters, starting with a letter or digit.
NAME_SHAPE = (
    r"^(?=[A-Za-z0-9])(?=.*[A-Za-z])"
    r"(?:.*[a-z][A-Z].*|.*[A-Z].*[A-Z].*|.*[A-Za-z].*\d.*|.*\d.*[A-Za-z].*)$"
)
#: Shapes that are measurements or sizes on their own: 7B, 3D, 10K, 2x.
_SIZE_ONLY = re.compile(r"^\d+(?:\.\d+)?[A-Za-z]{1,2}$")
#: Inside a title-cased title only these count: a lower-case letter followed by a capital
#: in one hyphen-free piece (DeepMath), an all-caps piece (RL), or a digit.
_TITLE_SHAPE = re.compile(r"[a-z][A-Z]|(?:^|-)[A-Z]{2,}(?:$|-|\d|s$)|\d")
VERSION = (
    r"^(?:v?\d+(?:\.\d+)*[BMKbmk]?|[BMK]|XL|XXL|Large|Base|Small|Mini|Pro|Turbo|Ultra|Max|Plus"
    r"|Chat|Instruct|Zero)$"
)


class ShapeMatcher:
    """Marks name-shaped tokens (with version suffixes) as untyped candidates."""

    def __init__(self, nlp: Language, name: str = "kg_shapes") -> None:
        self.name = name
        res = load_resources()
        self.not_names = res.not_names
        self.matcher = Matcher(nlp.vocab)
        shape = {"TEXT": {"REGEX": NAME_SHAPE}}
        version = {"TEXT": {"REGEX": VERSION}, "OP": "*"}
        capital = {"IS_TITLE": True, "IS_STOP": False, "IS_SENT_START": False}
        self.matcher.add("NAME", [[shape, version], [capital, shape, version]])

    def _is_name(self, tok_text: str, in_title: bool) -> bool:
        if tok_text.lower() in self.not_names or _SIZE_ONLY.match(tok_text):
            return False
        return not in_title or bool(_TITLE_SHAPE.search(tok_text))

    def __call__(self, doc: Doc) -> Doc:
        title_end = doc._.kg_title_end if doc._.kg_title_end is not None else 0
        spans: list[Span] = []
        for _, start, end in self.matcher(doc):
            span = doc[start:end]
            in_title = span.start_char < title_end
            if in_title and span[0].is_title and not re.match(NAME_SHAPE, span[0].text):
                continue  # "Code LLaMA" extension is for running text, not title case
            core = [t for t in span if re.match(NAME_SHAPE, t.text)]
            if not core or not any(self._is_name(t.text, in_title) for t in core):
                continue
            spans.append(span)
        doc.spans[candidates.SHAPE] = filter_spans(spans)
        return doc


@Language.factory("kg_shapes")
def make_shapes(nlp: Language, name: str) -> ShapeMatcher:
    return ShapeMatcher(nlp, name)

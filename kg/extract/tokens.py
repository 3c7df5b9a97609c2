"""A doc's tokens as plain Python lists, read once per doc and shared by the rule components.

Every ``doc[i]`` builds a new ``Token`` object and every ``tok.lower_`` decodes a new string
from the StringStore; the rules looked at each token about a dozen times, which made Token
creation the largest single cost of rule-only extraction. ``token_table(doc)`` reads the
per-token attributes with one ``doc.to_array`` call and the per-word facts (text, lower case,
lexeme flags, name shape) from a cache keyed by the word's orth id, filled once per word and
process; the components then index lists.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass

import numpy
from spacy.attrs import IDX, ORTH, SENT_START, SPACY, TAG
from spacy.tokens import Doc
from spacy.vocab import Vocab

from kg.extract.candidates import Cand  # (importing it registers the Doc extensions)

#: Mixed case inside a word (ResNet, muP), two capitals (MNIST, Cerebras-GPT), or letters with
#: digits (GPT2, CIFAR-10, Qwen2.5); at least two characters, starting with a letter or digit.
NAME_SHAPE = (
    r"^(?=[A-Za-z0-9])(?=.*[A-Za-z])"
    r"(?:.*[a-z][A-Z].*|.*[A-Z].*[A-Z].*|.*[A-Za-z].*\d.*|.*\d.*[A-Za-z].*)$"
)
_SHAPE = re.compile(NAME_SHAPE)
#: What every name shape contains (a capital or a digit): a cheap test that rules out most
#: words before the backtracking NAME_SHAPE pattern runs.
_CAPITAL_OR_DIGIT = re.compile(r"[A-Z\d]")
_MARKUP = re.compile(r"[:/_{}\\@~=<>()\[\]|]")


@dataclass(slots=True, eq=False)
class Lex:
    """What the rules read of one word, independent of where it occurs.

    Compared by identity (one per word and vocab): ``None in lex`` would otherwise call the
    generated ``__eq__`` once per token.
    """

    text: str
    lower: str
    is_punct: bool
    is_space: bool
    is_stop: bool
    like_num: bool
    like_url: bool
    like_email: bool
    is_quote: bool
    #: ``text[:1].isupper()``
    upper_initial: bool
    #: name-shaped text (``NAME_SHAPE``), not a URL or markup
    shape: bool
    #: name-like (in a run of name words): a capitalised non-stop word or a name shape, not
    #: punctuation, space or a plain number
    namelike: bool
    #: any letter in the text
    has_alpha: bool
    #: title case, neither a stop word nor punctuation (a name's capitalised word)
    capital: bool


def _lex(vocab: Vocab, orth: int) -> Lex:
    lexeme = vocab[orth]
    text = lexeme.orth_
    shape = (
        _CAPITAL_OR_DIGIT.search(text) is not None
        and _SHAPE.match(text) is not None
        and not _MARKUP.search(text)
    )
    upper_initial = text[:1].isupper()
    is_punct, is_space, like_num = lexeme.is_punct, lexeme.is_space, lexeme.like_num
    if is_punct or is_space or like_num and not shape:
        namelike = False
    else:
        namelike = shape or upper_initial and not lexeme.is_stop
    return Lex(
        text=text,
        lower=lexeme.lower_,
        is_punct=is_punct,
        is_space=is_space,
        is_stop=lexeme.is_stop,
        like_num=like_num,
        like_url=lexeme.like_url,
        like_email=lexeme.like_email,
        is_quote=lexeme.is_quote,
        upper_initial=upper_initial,
        shape=shape,
        namelike=namelike,
        has_alpha=text.isalpha() or any(c.isalpha() for c in text),
        capital=lexeme.is_title and not lexeme.is_stop and not is_punct,
    )


#: One cache per vocab (the lexeme flags belong to the vocab), for the few vocabs used last:
#: vocab id -> (vocab, orth -> Lex). The vocab is held so that its id is not reused while its
#: cache lives.
_CACHES: OrderedDict[int, tuple[Vocab, dict[int, Lex]]] = OrderedDict()
_MAX_VOCABS = 4
_TAG_NAMES: dict[int, str] = {0: ""}


def _lex_cache(vocab: Vocab) -> dict[int, Lex]:
    key = id(vocab)
    entry = _CACHES.get(key)
    if entry is None:
        entry = _CACHES[key] = (vocab, {})
        while len(_CACHES) > _MAX_VOCABS:
            _CACHES.popitem(last=False)
    else:
        _CACHES.move_to_end(key)
    return entry[1]


class TokenTable:
    """Per-token lists of one doc: ``lex[i]`` (word facts), ``text``, ``lower``, ``idx``,
    ``ws`` (followed by whitespace), ``sent_start`` (``Token.is_sent_start`` as a bool) and
    ``tag`` (fine tags, "" untagged); and ``groups``, the rule components' candidate spans."""

    __slots__ = (
        "n",
        "lex",
        "text",
        "lower",
        "idx",
        "ws",
        "sent_start",
        "tag",
        "tagged",
        "doc",
        "doc_text",
        "groups",
    )

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.n = n = len(doc)
        #: The rule components' candidate spans by group (``get_group``, ``set_group``).
        self.groups: dict[str, list[Cand]] = {}
        cache = _lex_cache(doc.vocab)
        if n:
            cols = doc.to_array([ORTH, IDX, SPACY, SENT_START, TAG]).T.tolist()
        else:
            cols = [[], [], [], [], []]
        orths, self.idx, spacy_, starts, tags = cols
        get = cache.get
        lex = [get(o) for o in orths]
        if None in lex:
            for i, x in enumerate(lex):
                if x is None:
                    lex[i] = cache.get(orths[i]) or cache.setdefault(
                        orths[i], _lex(doc.vocab, orths[i])
                    )
        self.lex: list[Lex] = lex
        self.text: list[str] = [x.text for x in lex]
        self.lower: list[str] = [x.lower for x in lex]
        #: 1 when the token is followed by a space, else 0
        self.ws: list[int] = spacy_
        #: ``doc.text`` (which builds a Token per token to join them)
        self.doc_text: str = "".join(
            [t + " " if w else t for t, w in zip(self.text, spacy_, strict=True)]
        )
        self.sent_start: list[bool] = [s == 1 for s in starts]
        # the tagger tags every token, so the first one tells (doc.has_annotation scans them all)
        self.tagged: bool = n > 0 and tags[0] != 0
        if self.tagged:
            names = _TAG_NAMES
            strings = doc.vocab.strings
            self.tag: list[str] = [names.get(t) or names.setdefault(t, strings[t]) for t in tags]
        else:
            self.tag = [""] * n

    def end_char(self, i: int) -> int:
        """Character offset just after token ``i``."""
        return self.idx[i] + len(self.text[i])

    def span_text(self, start: int, end: int) -> str:
        """``doc[start:end].text``, sliced from the doc's text."""
        if start >= end:
            return ""
        return self.doc_text[self.idx[start] : self.idx[end - 1] + len(self.text[end - 1])]

    def set_sent_starts(self, starts: dict[int, bool]) -> None:
        """Set ``is_sent_start`` of tokens on the doc and in the table, in one ``from_array``
        (the ``Token.is_sent_start`` setter scans every token of the doc on each call)."""
        if not starts:
            return
        col = self.doc.to_array(SENT_START).view(numpy.int64).copy()
        for i, value in starts.items():
            col[i] = 1 if value else -1
            self.sent_start[i] = value
        self.doc.from_array([SENT_START], col.view(numpy.uint64).reshape(-1, 1))


#: The doc whose table was asked for last, and the table: every component asks for the same
#: doc's table in turn, and ``doc._`` builds an accessor object on each use. Holding the doc
#: keeps its id from being reused while it is remembered.
_LAST: tuple[Doc | None, TokenTable | None] = (None, None)


def token_table(doc: Doc) -> TokenTable:
    """The doc's token table, built on first use (after sentence boundaries are final)."""
    global _LAST
    last_doc, table = _LAST
    if last_doc is doc and table is not None:
        return table
    ext = doc._
    table = ext.kg_tokens
    if table is None:
        table = TokenTable(doc)
        ext.kg_tokens = table
        if ext.kg_text is None:
            ext.kg_text = table.doc_text
    _LAST = (doc, table)
    return table


def forget_table(doc: Doc) -> None:
    """Drop the doc's table (and the module's hold on the doc): the doc is done with."""
    global _LAST
    doc._.kg_tokens = None
    if _LAST[0] is doc:
        _LAST = (None, None)


def filter_bounds(spans: list[tuple]) -> list[tuple]:
    """``spacy.util.filter_spans`` on (start, end, label) tuples: the longest (then the later)
    of overlapping spans wins, the first of duplicates; sorted by start. Spans are made only
    for the survivors."""
    ordered = sorted(spans, key=lambda s: (s[1] - s[0], -s[0]), reverse=True)
    result = []
    seen: set[int] = set()
    for span in ordered:
        if span[0] not in seen and span[1] - 1 not in seen:
            result.append(span)
            seen.update(range(span[0], span[1]))
    result.sort(key=lambda s: s[0])
    return result


def get_group(doc: Doc, name: str) -> list[Cand]:
    """The candidates of group ``name`` (empty when the rule wrote none)."""
    return token_table(doc).groups.get(name, [])


def set_group(doc: Doc, name: str, spans: list[tuple]) -> None:
    """Group ``name`` from (start, end, label) or (start, end, label, kb_id) tuples."""
    token_table(doc).groups[name] = [Cand(*s) for s in spans]

"""SPARQL over a build: named queries from ``ontology/queries``, safe parameters, output formats.

Queries run on the Oxigraph store a build wrote (no Turtle re-parsing), or on an in-memory
Oxigraph store of a given file. Parameters are never pasted as raw text: each value becomes an
RDF term serialised by Oxigraph (so quotes, braces and newlines are escaped) and is bound by a
``VALUES`` block placed at the start of the query's WHERE group, which every pattern and FILTER
of that group sees.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, overload

import pyoxigraph as ox

from kg.namespaces import PREFIXES
from kg.ontology_files import queries_dir

if TYPE_CHECKING:
    import pandas

QUERY_SUFFIX = ".rq"
FORMATS = ("table", "csv", "tsv", "json", "xml")


class QueryError(Exception):
    """A query could not be found, parsed, parameterised or run; the message says which."""


# --------------------------------------------------------------------------- named queries


@dataclass(frozen=True)
class Param:
    """A declared parameter: ``# @param name (type) description. Default: value``."""

    name: str
    type: str = "string"
    description: str = ""
    default: str | None = None


@dataclass(frozen=True)
class NamedQuery:
    name: str
    path: Path
    description: str
    text: str
    params: tuple[Param, ...] = field(default_factory=tuple)

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)


_PARAM_LINE = re.compile(
    r"^#\s*@param\s+(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*"
    r"(?:\((?P<type>string|integer|decimal|iri|entity|node)\))?"
    r"\s*(?P<rest>.*)$"
)
_DEFAULT = re.compile(r"\s*Default:\s*(?P<value>.+?)\s*$", re.IGNORECASE)
#: ``entity``: an entity's name, alias or key, any case, that kg resolves to the matching IRIs
#: before the query runs, so the query starts from constants (fast, and the same on any
#: endpoint); ``node``: the same, or a paper's title or id.
PARAM_TYPES = ("string", "integer", "decimal", "iri", "entity", "node")


def parse_header(text: str) -> tuple[str, tuple[Param, ...]]:
    """The question a query answers (its leading comment) and its declared parameters."""
    desc: list[str] = []
    params: list[Param] = []
    for line in text.splitlines():
        s = line.strip()
        if not s:
            continue
        if not s.startswith("#"):
            break
        m = _PARAM_LINE.match(s)
        if m:
            rest = m["rest"]
            default = None
            d = _DEFAULT.search(rest)
            if d:
                default = d["value"].strip().strip('"')
                rest = rest[: d.start()].rstrip()
            params.append(Param(m["name"], m["type"] or "string", rest.strip(), default))
        else:
            desc.append(s.lstrip("#").strip())
    return " ".join(d for d in desc if d), tuple(params)


def list_queries(directory: Path | None = None) -> list[NamedQuery]:
    """Every ``*.rq`` in ``ontology/queries`` (or ``directory``), sorted by name."""
    directory = directory or queries_dir()
    out = []
    for path in sorted(directory.glob(f"*{QUERY_SUFFIX}")):
        text = path.read_text(encoding="utf-8")
        desc, params = parse_header(text)
        out.append(NamedQuery(path.stem, path, desc, text, params))
    return out


def get_query(name: str, directory: Path | None = None) -> NamedQuery:
    for q in list_queries(directory):
        if q.name == name:
            return q
    known = ", ".join(q.name for q in list_queries(directory))
    raise QueryError(f"no named query {name!r} (known: {known})")


_FORM = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)


def resolve(arg: str, directory: Path | None = None) -> tuple[str, NamedQuery | None]:
    """Query text and named query (if any) for a CLI argument: a name, a file, or SPARQL."""
    names = {q.name: q for q in list_queries(directory)}
    if arg in names:
        return names[arg].text, names[arg]
    path = Path(arg)
    if "\n" not in arg and len(arg) < 4096 and path.suffix in (QUERY_SUFFIX, ".sparql", ".txt"):
        if not path.is_file():
            raise QueryError(f"{arg}: no such query file")
        text = path.read_text(encoding="utf-8")
        desc, params = parse_header(text)
        return text, NamedQuery(path.stem, path, desc, text, params)
    if _FORM.search(arg):
        desc, params = parse_header(arg)
        return arg, NamedQuery("inline", Path("-"), desc, arg, params) if params else None
    raise QueryError(
        f"{arg!r} is neither a named query ({', '.join(names)}), a .rq file, nor SPARQL text"
    )


# --------------------------------------------------------------------------- parameters


def parse_params(pairs: Iterable[str]) -> dict[str, str]:
    """``["model=GPT-2", ...]`` -> ``{"model": "GPT-2"}``; the value may hold ``=``."""
    out: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        name = name.strip().lstrip("?$")
        if not sep or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise QueryError(f"--param {pair!r}: expected NAME=VALUE with a SPARQL variable name")
        out[name] = value
    return out


def to_term(value: str, type_: str = "string") -> ox.NamedNode | ox.Literal:
    """A parameter value as an RDF term (the only form in which it reaches a query)."""
    xsd = "http://www.w3.org/2001/XMLSchema#"
    if type_ == "string":
        return ox.Literal(value)
    if type_ == "integer":
        if not re.fullmatch(r"[+-]?\d+", value.strip()):
            raise QueryError(f"parameter value {value!r} is not an integer")
        return ox.Literal(str(int(value)), datatype=ox.NamedNode(xsd + "integer"))
    if type_ == "decimal":
        if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", value.strip()):
            raise QueryError(f"parameter value {value!r} is not a decimal number")
        return ox.Literal(value.strip(), datatype=ox.NamedNode(xsd + "decimal"))
    if type_ == "iri":
        iri = value.strip().removeprefix("<").removesuffix(">")
        try:
            return ox.NamedNode(iri)
        except ValueError as exc:
            raise QueryError(f"parameter value {value!r} is not an IRI: {exc}") from exc
    raise QueryError(f"unknown parameter type {type_!r} (known: {', '.join(PARAM_TYPES)})")


Term = ox.NamedNode | ox.Literal

#: Resolves an ``entity`` parameter: every entity whose preferred label, alias or key equals
#: the name, ignoring case. ``node`` parameters also match papers by title or identifier.
LOOKUP = """
PREFIX skos:    <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT DISTINCT ?x WHERE {
  { ?x skos:prefLabel ?l } UNION { ?x skos:altLabel ?l } UNION { ?x dcterms:identifier ?l }
  FILTER (LCASE(?l) = LCASE(?name))
}
"""
LOOKUP_NODE = """
PREFIX skos:    <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT DISTINCT ?x WHERE {
  { ?x skos:prefLabel ?l } UNION { ?x skos:altLabel ?l }
  UNION { ?x dcterms:identifier ?l } UNION { ?x dcterms:title ?l }
  FILTER (LCASE(?l) = LCASE(?name))
}
"""


#: The same, spelled exactly: an index lookup instead of a scan, tried first.
EXACT = """
PREFIX skos:    <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT DISTINCT ?x WHERE {
  { ?x skos:prefLabel ?name } UNION { ?x skos:altLabel ?name } UNION { ?x dcterms:identifier ?name }
}
"""
EXACT_NODE = """
PREFIX skos:    <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT DISTINCT ?x WHERE {
  { ?x skos:prefLabel ?name } UNION { ?x skos:altLabel ?name } UNION { ?x dcterms:identifier ?name }
  UNION { ?x dcterms:title ?name }
}
"""


def resolve_with(
    run: Callable[[str], list[str]], value: str, papers: bool = False
) -> list[ox.NamedNode]:
    """IRIs an ``entity`` (or, with ``papers``, ``node``) parameter names, via any engine.

    ``run(text)`` executes a lookup SELECT and returns the ``?x`` IRIs (a local store, an HTTP
    endpoint, rdflib). An IRI is taken as is. Otherwise the entities whose label, alias or key
    is spelled exactly ``value`` (and with ``papers`` the papers with that title or id): an
    index lookup; if there are none, the same ignoring case (a scan of every label, ~30 ms on a
    million triples).
    """
    v = value.strip()
    if v.startswith("<") and v.endswith(">") or re.match(r"https?://\S+$", v):
        return [to_term(v, "iri")]
    for lookup in (EXACT_NODE if papers else EXACT, LOOKUP_NODE if papers else LOOKUP):
        found = run(with_values(lookup, {"name": ox.Literal(v)}))
        if found:
            return [ox.NamedNode(iri) for iri in found]
    what = "entity or paper" if papers else "entity"
    raise QueryError(f"no {what} named {value!r} in the graph (see `kg explain`)")


def resolve_entity(store: ox.Store, value: str, papers: bool = False) -> list[ox.NamedNode]:
    """:func:`resolve_with` on an Oxigraph store."""

    def run(text: str) -> list[str]:
        return [
            row["x"].value for row in execute(store, text) if isinstance(row["x"], ox.NamedNode)
        ]

    return resolve_with(run, value, papers)


def bind(
    named: NamedQuery | None,
    values: Mapping[str, str],
    store: ox.Store | None = None,
    lookup: Callable[[str, bool], list[ox.NamedNode]] | None = None,
) -> dict[str, Term | list[Term]]:
    """Terms for a query's parameters: given values, else declared defaults.

    ``entity``/``node`` parameters are looked up in ``store`` (or by ``lookup(name, papers)``,
    e.g. against a remote endpoint) and bind to every match.
    """
    terms: dict[str, Term | list[Term]] = {}
    declared = {p.name: p for p in named.params} if named else {}
    if declared:
        unknown = sorted(set(values) - set(declared))
        if unknown:
            raise QueryError(
                f"query {named.name!r} has no parameter {', '.join(unknown)} "
                f"(its parameters: {', '.join(declared) or 'none'})"
            )
    for name, p in declared.items():
        value = values.get(name, p.default)
        if value is None:
            continue
        if p.type in ("entity", "node"):
            if lookup is not None:
                terms[name] = lookup(value, p.type == "node")
            elif store is not None:
                terms[name] = resolve_entity(store, value, papers=p.type == "node")
            else:
                raise QueryError(f"parameter {name!r} names an entity: a store is needed")
        else:
            terms[name] = to_term(value, p.type)
    for name, value in values.items():
        if name not in declared:
            terms[name] = to_term(value)
    return terms


# A small SPARQL lexer: just enough to find the WHERE group's opening brace outside strings,
# IRIs and comments.
_LEX = re.compile(
    r'(?P<skip>"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'"
    r"|<[^<>\"{}|^`\\\x00-\x20]*>"
    r"|\#[^\n]*)"
    r"|(?P<brace>\{)"
    r"|(?P<word>[A-Za-z]+)",
    re.DOTALL,
)


def where_brace(text: str) -> int:
    """Offset just after the ``{`` that opens the query's WHERE group."""
    form = None
    for m in _LEX.finditer(text):
        if m["word"]:
            w = m["word"].upper()
            if form is None and w in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
                form = w
            elif form == "CONSTRUCT" and w == "WHERE":
                form = "CONSTRUCT-WHERE"
        elif m["brace"] and form is not None and form != "CONSTRUCT":
            return m.end()
        elif m["brace"] and form == "CONSTRUCT":
            # The template: skip to its closing brace, then look for WHERE.
            continue
    raise QueryError("cannot find the query's WHERE clause to bind parameters to")


def _slots(text: str) -> dict[str, tuple[int, int]]:
    """Spans of ``VALUES ?name { UNDEF }`` placeholders outside strings, IRIs and comments."""
    skip = [(m.start(), m.end()) for m in _LEX.finditer(text) if m["skip"]]
    out: dict[str, tuple[int, int]] = {}
    for m in _SLOT.finditer(text):
        if not any(a <= m.start() < b for a, b in skip):
            out.setdefault(m["name"], (m.start(), m.end()))
    return out


_SLOT = re.compile(r"VALUES\s+[?$](?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*\{\s*UNDEF\s*\}", re.I)


def with_values(text: str, terms: Mapping[str, Term | Sequence[Term]]) -> str:
    """``text`` with each parameter bound by a ``VALUES ?a { t1 t2 }`` block.

    A query may say where: a placeholder ``VALUES ?a { UNDEF }`` (valid SPARQL that leaves
    ``?a`` unbound) is filled in place, e.g. inside a sub-select that aggregates before labels
    are joined. Otherwise the block opens the query's WHERE group. Terms are written in their
    N-Triples form by Oxigraph, which escapes every character that could end a string or an
    IRI, so a value can never change the query's structure. Several terms for one variable bind
    it to each in turn.
    """
    if not terms:
        return text
    rendered = {}
    for name, value in terms.items():
        items = [value] if isinstance(value, ox.NamedNode | ox.Literal) else list(value)
        rendered[name] = f"VALUES ?{name} {{ {' '.join(str(t) for t in items)} }}"
    slots = _slots(text)
    for name in sorted((n for n in rendered if n in slots), key=lambda n: -slots[n][0]):
        a, b = slots[name]
        text = text[:a] + rendered.pop(name) + text[b:]
    if not rendered:
        return text
    at = where_brace(text)
    blocks = "\n".join(f"  {block}" for block in rendered.values())
    return f"{text[:at]}\n{blocks}\n{text[at:]}"


def prepare(
    arg: str, params: Mapping[str, str] | None = None, store: ox.Store | None = None
) -> tuple[str, NamedQuery | None]:
    """Final query text for a CLI argument and ``--param`` values (``store`` resolves names).

    The text is checked first as the user wrote it, so a syntax error points into their text,
    and a ``SELECT *`` is spelled out with its variables in the order the query names them
    (Oxigraph would order them its own way).
    """
    text, named = resolve(arg)
    source = "" if named is None or named.path == Path("-") else str(named.path)
    variables = check(text, source)
    if variables is not None:
        text = explicit_star(text, variables)
    return with_values(text, bind(named, params or {}, store)), named


def run(
    store: ox.Store, arg: str, params: Mapping[str, str] | None = None
) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
    """Prepare and execute a named query, a ``.rq`` file or SPARQL text on ``store``: what
    ``kg query`` and ``KnowledgeGraph.query`` both do."""
    text, _ = prepare(arg, params, store)
    return execute(store, text)


# --------------------------------------------------------------------------- checking


@functools.cache
def _empty_store() -> ox.Store:
    return ox.Store()


def check(text: str, source: str = "") -> list[str] | None:
    """Parse ``text`` and return a SELECT's variables (None for other forms); a syntax error
    raises :class:`QueryError` showing the line, the column and a caret.

    The query is handed to an empty in-memory store: Oxigraph parses it, and evaluates
    nothing until a solution is asked for, so this costs a parse.
    """
    try:
        result = _empty_store().query(text, prefixes=PREFIXES)
    except SyntaxError as exc:
        raise QueryError(syntax_message(text, str(exc), source)) from None
    if isinstance(result, ox.QuerySolutions):
        return [v.value for v in result.variables]
    return None


_OX_POSITION = re.compile(r"error at (\d+):(\d+)")
_PREFIXED = re.compile(r"(?<![\w?$:.\-])([A-Za-z][\w.\-]*)?:(?=[\w%\\]|\s|$)")
_PREFIX_DECL = re.compile(r"PREFIX\s+([A-Za-z][\w.\-]*)?:", re.IGNORECASE)
#: Source lines shown around an error, and the widest slice of one line shown.
_CONTEXT_LINES = 1
_LINE_WIDTH = 100


def _skips(text: str) -> list[tuple[int, int]]:
    """Spans of strings, IRIs and comments: no keyword, variable or name is inside them."""
    return [(m.start(), m.end()) for m in _LEX.finditer(text) if m["skip"]]


def _inside(spans: list[tuple[int, int]], at: int) -> bool:
    return any(a <= at < b for a, b in spans)


def _parser_position(text: str) -> tuple[int, int] | None:
    """Line and column (1-based) where rdflib's SPARQL grammar stops reading ``text``.

    Oxigraph reports how far its parser looked ahead, which is often past the mistake (the end
    of an unclosed FILTER); the grammar rdflib uses stops at the start of the construct that
    does not parse, which is where a person should look. Only asked once Oxigraph refused.
    """
    from rdflib.plugins.sparql.parser import parseQuery

    # pyparsing's packrat cache (switched on for the whole process by matplotlib, which igraph
    # imports when it is installed) deepens the grammar's recursion past Python's default
    # limit on long queries; the limit is raised for this one parse.
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 5000))
    try:
        parseQuery(text)
    except Exception as exc:  # pyparsing's ParseException carries lineno and col
        line, col = getattr(exc, "lineno", None), getattr(exc, "col", None)
        if isinstance(line, int) and isinstance(col, int):
            return line, col
    finally:
        sys.setrecursionlimit(limit)
    return None


def _unknown_prefix(text: str) -> tuple[str, int] | None:
    """The first prefixed name whose prefix neither kg nor the query declares, and where."""
    skips = _skips(text)
    declared = set(PREFIXES) | {m[1] or "" for m in _PREFIX_DECL.finditer(text)}
    for m in _PREFIXED.finditer(text):
        prefix = m[1] or ""
        if prefix not in declared and not _inside(skips, m.start()):
            return prefix, m.start()
    return None


def _line_col(text: str, offset: int) -> tuple[int, int]:
    return text.count("\n", 0, offset) + 1, offset - text.rfind("\n", 0, offset)


def syntax_message(text: str, parser_message: str, source: str = "") -> str:
    """A few lines a person can act on: where (line, column), the line itself with a caret
    under the spot, and a hint when the cause is known, instead of the parser's list of every
    character class it would have accepted."""
    hint = ""
    position = None
    if "Prefix not found" in parser_message and (unknown := _unknown_prefix(text)):
        prefix, offset = unknown
        position = _line_col(text, offset)
        hint = f"unknown prefix '{prefix}:': declare it (PREFIX {prefix}: <...>) or use one kg "
        hint += f"declares: {', '.join(PREFIXES)}"
    if position is None:
        position = _parser_position(text)
    if position is None and (m := _OX_POSITION.search(parser_message)):
        line_no, col = int(m[1]), int(m[2])
        raw = text.split("\n")[line_no - 1] if line_no <= text.count("\n") + 1 else ""
        position = line_no, len(raw[: col - 1].expandtabs()) + 1  # shown with tabs expanded
    where = f" in {source}" if source else ""
    if position is None:
        first = parser_message.splitlines()[0] if parser_message else ""
        return f"SPARQL syntax error{where}: {first[:200]}"
    lines = text.expandtabs().split("\n")
    line_no = min(max(position[0], 1), len(lines))
    line = lines[line_no - 1]
    col = min(max(position[1], 1), len(line) + 1)
    token = re.match(r"[?$]?\w{1,30}|\S", line[col - 1 :])
    near = f" (near '{token.group(0)}')" if token else " (at the end of the line)"
    out = [f"SPARQL syntax error{where} at line {line_no}, column {col}{near}:"]
    width = len(str(line_no))
    for n in range(max(1, line_no - _CONTEXT_LINES), line_no):
        if lines[n - 1].strip():
            shown, _ = _window(lines[n - 1], 1)
            out.append(f"  {n:>{width}} | {shown}")
    shown, caret = _window(line, col)
    out.append(f"  {line_no:>{width}} | {shown}")
    out.append(f"  {'':>{width}} | {' ' * (caret - 1)}^")
    if hint:
        out.append(hint)
    return "\n".join(out)


def _window(line: str, col: int) -> tuple[str, int]:
    """At most ``_LINE_WIDTH`` characters of ``line`` around column ``col``, and where the
    column falls in them (a one-line query can be thousands of characters long)."""
    if len(line) <= _LINE_WIDTH:
        return line, col
    start = max(0, min(col - 1 - _LINE_WIDTH // 2, len(line) - _LINE_WIDTH))
    piece = line[start : start + _LINE_WIDTH]
    lead = "…" if start > 0 else ""
    tail = "…" if start + _LINE_WIDTH < len(line) else ""
    return lead + piece + tail, col - start + len(lead)


_VARIABLE = re.compile(r"[?$]([A-Za-z0-9_\u00B7\u00C0-\uFFFF]+)")
_STAR = re.compile(r"SELECT(?:\s+(?:DISTINCT|REDUCED))?\s*(\*)", re.IGNORECASE)


def explicit_star(text: str, variables: Sequence[str]) -> str:
    """``text`` with its top-level ``SELECT *`` spelled out as ``SELECT ?a ?b ...``: the
    variables in scope (as the parser found them), in the order the query first names them.
    Any other query comes back unchanged."""
    skips = _skips(text)
    select = next(
        (
            m
            for m in _LEX.finditer(text)
            if m["word"] and m["word"].upper() == "SELECT" and not _inside(skips, m.start())
        ),
        None,
    )
    if select is None:
        return text
    star = _STAR.match(text, select.start())
    if star is None:
        return text
    seen: dict[str, None] = {}
    for m in _VARIABLE.finditer(text, star.end()):
        if not _inside(skips, m.start()):
            seen.setdefault(m[1], None)
    scope = set(variables)
    order = [v for v in seen if v in scope] + [v for v in variables if v not in seen]
    if not order:
        return text
    projection = " ".join(f"?{v}" for v in order)
    return text[: star.start(1)] + projection + text[star.end(1) :]


# --------------------------------------------------------------------------- execution


def execute(store: ox.Store, text: str) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
    """Run SPARQL on ``store``; our prefixes (kg:, skos:, ...) are predeclared."""
    try:
        return store.query(text, prefixes=PREFIXES)
    except SyntaxError as exc:
        raise QueryError(syntax_message(text, str(exc))) from None
    except OSError as exc:
        raise QueryError(f"query failed: {exc}") from exc


def term_value(term: Any) -> Any:
    """A Python value for a result term: str for IRIs/strings, int/float/bool for numbers."""
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        dt = term.datatype.value.rsplit("#", 1)[-1]
        v = term.value
        if dt in ("integer", "nonNegativeInteger", "int", "long", "positiveInteger"):
            return int(v)
        if dt in ("decimal", "double", "float"):
            return float(v)
        if dt == "boolean":
            return v == "true"
        return v
    return term.value


def select(store: ox.Store, text: str, params: Mapping[str, str] | None = None) -> list[dict]:
    """Rows of a SELECT as dicts of Python values (for code and tests)."""
    if params:
        text = with_values(text, {k: to_term(v) for k, v in params.items()})
    res = execute(store, text)
    if not isinstance(res, ox.QuerySolutions):
        raise QueryError("select() needs a SELECT query")
    names = [v.value for v in res.variables]
    return [{n: term_value(row[n]) for n in names} for row in res]


class Rows(Sequence[dict[str, Any]]):
    """The answer to a query as a table: ``columns`` in the query's order, one dict per row.

    Values are plain Python (:func:`term_value`): IRIs and strings as ``str``, numbers as
    ``int``/``float``, booleans as ``bool``, unbound as ``None``. A CONSTRUCT or DESCRIBE
    answers with the columns ``subject``, ``predicate``, ``object``.
    """

    __slots__ = ("_values", "columns")

    def __init__(self, columns: Sequence[str], values: Iterable[Sequence[Any]] = ()) -> None:
        self.columns: tuple[str, ...] = tuple(columns)
        self._values: list[tuple[Any, ...]] = [tuple(v) for v in values]

    @classmethod
    def of(cls, result: ox.QuerySolutions | ox.QueryTriples) -> Rows:
        """Read a SELECT's solutions (or a CONSTRUCT's triples) to the end."""
        if isinstance(result, ox.QueryTriples):
            spo = (tuple(map(term_value, (t.subject, t.predicate, t.object))) for t in result)
            return cls(("subject", "predicate", "object"), spo)
        names = [v.value for v in result.variables]
        return cls(names, (tuple(term_value(row[n]) for n in names) for row in result))

    def __len__(self) -> int:
        return len(self._values)

    @overload
    def __getitem__(self, index: int) -> dict[str, Any]: ...

    @overload
    def __getitem__(self, index: slice) -> Rows: ...

    def __getitem__(self, index: int | slice) -> dict[str, Any] | Rows:
        if isinstance(index, slice):
            return Rows(self.columns, self._values[index])
        return dict(zip(self.columns, self._values[index], strict=True))

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for values in self._values:
            yield dict(zip(self.columns, values, strict=True))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Rows):
            return self.columns == other.columns and self._values == other._values
        if isinstance(other, list):
            return list(self) == other
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def tuples(self) -> list[tuple[Any, ...]]:
        """The rows as tuples, in column order."""
        return list(self._values)

    def column(self, name: str) -> list[Any]:
        """One column's values."""
        i = self.columns.index(name)
        return [values[i] for values in self._values]

    def to_pandas(self) -> pandas.DataFrame:
        """A pandas DataFrame with the same columns (needs pandas: ``pip install pandas``)."""
        try:
            import pandas
        except ImportError as exc:
            raise ImportError("Rows.to_pandas() needs pandas: pip install pandas") from exc
        return pandas.DataFrame.from_records(self._values, columns=list(self.columns))

    def __repr__(self) -> str:
        n = len(self._values)
        return f"<Rows: {n} row{'s' if n != 1 else ''} of {', '.join(self.columns) or 'nothing'}>"


_RESULT_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}


def _short(term: Any) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        iri = term.value
        for prefix, ns in PREFIXES.items():
            if iri.startswith(ns) and re.fullmatch(r"[A-Za-z0-9_-]*", iri[len(ns) :]):
                return f"{prefix}:{iri[len(ns) :]}"
        return iri
    if isinstance(term, ox.Literal):
        return term.value
    return str(term)


def render(result: Any, fmt: str = "table") -> str:
    """Results as text: a table for people, or SPARQL JSON/XML/CSV/TSV (W3C formats).

    CONSTRUCT/DESCRIBE results are Turtle (table) or N-Triples (other formats).
    """
    if fmt not in FORMATS:
        raise QueryError(f"unknown format {fmt!r} (known: {', '.join(FORMATS)})")
    if isinstance(result, ox.QueryBoolean):
        if fmt == "table":
            return "yes\n" if bool(result) else "no\n"
        return result.serialize(
            format=_RESULT_FORMATS.get(fmt, ox.QueryResultsFormat.JSON)
        ).decode()
    if isinstance(result, ox.QueryTriples):
        rdf_fmt = ox.RdfFormat.TURTLE if fmt == "table" else ox.RdfFormat.N_TRIPLES
        return ox.serialize(result, format=rdf_fmt, prefixes=PREFIXES).decode()
    if fmt != "table":
        return result.serialize(format=_RESULT_FORMATS[fmt]).decode()
    return _table(result)


def _table(result: ox.QuerySolutions) -> str:
    from rich.console import Console
    from rich.table import Table

    names = [v.value for v in result.variables]
    table = Table(*names, show_lines=False, highlight=False)
    n = 0
    for row in result:
        table.add_row(*(_escape_markup(_short(row[name])) for name in names))
        n += 1
    buf = io.StringIO()
    Console(file=buf, width=160, force_terminal=False, color_system=None).print(table)
    return buf.getvalue() + f"{n} row{'s' if n != 1 else ''}\n"


def _escape_markup(s: str) -> str:
    from rich.markup import escape

    return escape(s)


def rows_to_csv(rows: list[dict]) -> str:
    """Plain CSV of row dicts (used by scripts that post-process :func:`select`)."""
    buf = io.StringIO()
    if rows:
        w = csv.DictWriter(buf, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    return buf.getvalue()


def rows_to_json(rows: list[dict]) -> str:
    return json.dumps(rows, ensure_ascii=False, indent=2)

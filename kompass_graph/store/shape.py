"""Whether a query's shape predicts a light plan: the test for running it on a thread.

A query on a thread of the server process cannot be stopped (pyoxigraph has no
cancellation), so only queries whose work is bounded by the neighbourhood of a
constant may go there; every other query runs in a killable worker process.

"Light" here means, read off the grammar's tokens (`lexer.py`):
- every triple pattern of the WHERE clause is joined, through shared variables, to a
  pattern anchored at a constant: an IRI or literal as subject, or as object of any
  predicate but `rdf:type` (a class has as many members as the data), or a variable
  bound by VALUES or by the request's parameters;
- no transitive property path (`*`, `+`), no sub-select, no MINUS, no EXISTS, no
  SERVICE and no RDF collection, and at most `MAX_PATTERNS` triple patterns.

Aggregates, ORDER BY and FILTER stay allowed: they work on the anchored rows only.
The test is conservative where the grammar is not followed in full (anything it does
not recognise predicts a heavy plan), and it looks at the whole WHERE clause as one
join graph, so an OPTIONAL or UNION branch counts as joined when it shares a variable
with an anchored branch. What it cannot see, a hub constant with many neighbours, the
lane catches by measuring (`inprocess.py`).

`QueryShape.key` gives the cache key under which one decision serves every query that
differs only in its constants (the usual case: the same query with other parameters).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from kompass_graph.store.lexer import Token, tokenize, unescape_codepoints

__all__ = ["MAX_PATTERNS", "QueryShape"]

#: more triple patterns than this predict a heavy plan, joined or not
MAX_PATTERNS = 24

_RDF_TYPE = frozenset({"<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>", "rdf:type"})
_HEAVY_KEYWORDS = frozenset({"SERVICE", "MINUS", "EXISTS"})
_CONSTANT_KINDS = frozenset({"iri", "pname", "string", "number"})
_PATH_STARTS = frozenset({"iri", "pname"})


class _HeavyPlanError(Exception):
    """Raised inside the walk: this query does not predict a light plan."""


class QueryShape:
    """A query read once into the grammar's tokens; its key and its prediction both
    come from those tokens. `bound` names the variables the request binds."""

    def __init__(self, query: str, bound: Collection[str] = ()) -> None:
        self.query = query
        self.bound = tuple(sorted(name.lstrip("?$") for name in bound))

    @cached_property
    def tokens(self) -> list[Token]:
        return list(tokenize(unescape_codepoints(self.query)))

    @cached_property
    def key(self) -> str:
        """The tokens with every constant blanked (the class test `rdf:type` kept),
        plus the bound variables: queries with equal keys have the same join graph."""
        words = (
            "_" if token.kind in _CONSTANT_KINDS and token.text not in _RDF_TYPE else token.text
            for token in self.tokens
        )
        return " ".join(words) + "\0" + ",".join(self.bound)

    @cached_property
    def light(self) -> bool:
        """True when the query's work is bounded by the neighbourhood of its constants
        (see the module's docstring)."""
        return _predicts_light(self.tokens, self.bound)


@dataclass
class _Pattern:
    variables: set[str] = field(default_factory=set)
    anchored: bool = False


class _Walk:
    """One pass over the tokens of the WHERE clause, collecting its triple patterns."""

    def __init__(self, tokens: Sequence[Token], bound: Collection[str]) -> None:
        self.tokens = tokens
        self.at = 0
        self.patterns: list[_Pattern] = []
        self.bound = {name.lstrip("?$") for name in bound}
        self._fresh = 0

    # ---- reading tokens ---------------------------------------------------------------

    def peek(self, ahead: int = 0) -> Token | None:
        index = self.at + ahead
        return self.tokens[index] if index < len(self.tokens) else None

    def next(self) -> Token:
        token = self.peek()
        if token is None:
            raise _HeavyPlanError("the query ends early")
        self.at += 1
        return token

    def expect(self, text: str) -> None:
        if self.next().text != text:
            raise _HeavyPlanError(f"expected {text}")

    def skip_balanced(self, opening: str, closing: str) -> None:
        self.expect(opening)
        depth = 1
        while depth:
            token = self.next()
            if token.kind == "punct" and token.text == opening:
                depth += 1
            elif token.kind == "punct" and token.text == closing:
                depth -= 1

    # ---- group graph patterns ---------------------------------------------------------

    def group(self) -> None:
        """`{ … }`: triple patterns and the keywords that may stand between them."""
        self.expect("{")
        while True:
            token = self.peek()
            if token is None:
                raise _HeavyPlanError("unclosed group")
            if token.text == "}":
                self.at += 1
                return
            if token.text == "{":
                self.group()
            elif token.text == "." or token.is_keyword("OPTIONAL", "UNION"):
                self.at += 1
            elif token.is_keyword("GRAPH"):
                self.at += 2  # GRAPH ?g or GRAPH <g>: the group follows
            elif token.is_keyword("FILTER"):
                self.filter()
            elif token.is_keyword("BIND"):
                self.at += 1
                self.skip_balanced("(", ")")
            elif token.is_keyword("VALUES"):
                self.values()
            elif token.is_keyword("SELECT"):
                raise _HeavyPlanError("sub-select")
            else:
                self.triples()

    def filter(self) -> None:
        self.at += 1
        token = self.peek()
        if token is not None and token.kind in ("name", "pname", "iri"):
            self.at += 1  # a function call: FILTER regex(…), FILTER <f>(…)
        self.skip_balanced("(", ")")

    def values(self) -> None:
        self.at += 1
        if self.peek_text() == "(":
            self.at += 1
            while (token := self.next()).text != ")":
                self.bound.add(token.text[1:])
        else:
            self.bound.add(self.next().text[1:])
        self.skip_balanced("{", "}")

    # ---- triples ------------------------------------------------------------------------

    def triples(self) -> None:
        pattern_subject = self.term()
        self.predicate_objects(pattern_subject)

    def term(self) -> tuple[str, str]:
        """('var', name) or ('const', text) for the next term; a blank-node property
        list is a fresh variable with its own patterns."""
        token = self.next()
        if token.kind == "var":
            return "var", token.text[1:]
        if token.kind == "bnode":
            return "var", token.text
        if token.kind in _CONSTANT_KINDS or token.is_keyword("TRUE", "FALSE"):
            following = self.peek()
            if token.kind == "string" and following is not None:
                if following.kind == "langtag":
                    self.at += 1
                elif following.text == "^^":
                    self.at += 2
            return "const", token.text
        if token.text == "[":
            self._fresh += 1
            node = ("var", f"[{self._fresh}]")
            if self.peek_text() != "]":
                self.predicate_objects(node, closing="]")
            self.expect("]")
            return node
        raise _HeavyPlanError(f"unexpected {token.text!r}")  # collections and anything unknown

    def peek_text(self) -> str:
        token = self.peek()
        return token.text if token is not None else ""

    def predicate_objects(self, subject: tuple[str, str], closing: str = ".") -> None:
        """Verbs with their object lists, up to the end of the statement (`closing`)."""
        while True:
            verb_var, is_type = self.verb()
            self.add(subject, verb_var, self.term(), is_type)
            while self.peek_text() == ",":
                self.at += 1
                self.add(subject, verb_var, self.term(), is_type)
            if self.peek_text() != ";":
                return
            while self.peek_text() == ";":
                self.at += 1
            if self.peek_text() in (closing, "}", "]", ""):
                return

    def verb(self) -> tuple[str | None, bool]:
        """The predicate: (its variable, None for a path) and whether it is rdf:type."""
        token = self.peek()
        if token is not None and token.kind == "var":
            self.at += 1
            return token.text[1:], False
        start = self.at
        self.path()
        texts = [t.text for t in self.tokens[start : self.at]]
        return None, texts in (["a"], [_RDF_TYPE], ["rdf:type"])

    def path(self) -> None:
        """A property path; `*` and `+` make it transitive, which predicts heavy."""
        while True:
            token = self.next()
            while token.text in ("^", "!"):
                token = self.next()
            if token.text == "(":
                self.path()
                self.expect(")")
            elif not (token.kind in _PATH_STARTS or token.text == "a"):
                raise _HeavyPlanError(f"unexpected {token.text!r} in a path")
            modifier = self.peek()
            if modifier is not None and modifier.text in ("*", "+"):
                raise _HeavyPlanError("transitive path")
            if modifier is not None and modifier.text == "?":
                self.at += 1
            separator = self.peek()
            if separator is None or separator.text not in ("/", "|"):
                return
            self.at += 1

    def add(
        self, subject: tuple[str, str], verb: str | None, obj: tuple[str, str], is_type: bool
    ) -> None:
        pattern = _Pattern()
        for kind, value in (subject, obj):
            if kind == "var":
                pattern.variables.add(value)
        if verb is not None:
            pattern.variables.add(verb)
        pattern.anchored = subject[0] == "const" or (obj[0] == "const" and not is_type)
        self.patterns.append(pattern)
        if len(self.patterns) > MAX_PATTERNS:
            raise _HeavyPlanError("too many triple patterns")

    # ---- the verdict --------------------------------------------------------------------

    def all_joined_to_an_anchor(self) -> bool:
        parent: dict[str, str] = {}

        def root(name: str) -> str:
            while parent.setdefault(name, name) != name:
                name = parent[name]
            return name

        for pattern in self.patterns:
            names = sorted(pattern.variables)
            for other in names[1:]:
                parent[root(other)] = root(names[0])
        anchored = {root(name) for name in self.bound}
        for pattern in self.patterns:
            if pattern.anchored and pattern.variables:
                anchored.add(root(next(iter(pattern.variables))))
        return all(
            not pattern.variables or root(next(iter(pattern.variables))) in anchored
            for pattern in self.patterns
        )


def _where_start(tokens: Sequence[Token]) -> int | None:
    """Index of the `{` that opens the WHERE clause; None for DESCRIBE without one."""
    index = 0
    while index < len(tokens) and tokens[index].is_keyword("BASE", "PREFIX"):
        index += 2 if tokens[index].is_keyword("BASE") else 3
    if index < len(tokens) and tokens[index].is_keyword("CONSTRUCT"):
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        if following is not None and following.text == "{":  # skip the template
            depth, index = 0, index + 1
            while index < len(tokens):
                depth += {"{": 1, "}": -1}.get(tokens[index].text, 0)
                index += 1
                if depth == 0:
                    break
    while index < len(tokens) and tokens[index].text != "{":
        index += 1
    return index if index < len(tokens) else None


def _predicts_light(tokens: Sequence[Token], bound: Collection[str]) -> bool:
    if any(token.is_keyword(*_HEAVY_KEYWORDS) for token in tokens):
        return False
    if sum(1 for token in tokens if token.is_keyword("SELECT")) > 1:
        return False
    start = _where_start(tokens)
    if start is None:  # DESCRIBE <iri>: the description of a constant
        return any(t.is_keyword("DESCRIBE") for t in tokens) and not any(
            t.kind == "var" for t in tokens
        )
    walk = _Walk(tokens[start:], bound)
    try:
        walk.group()
    except _HeavyPlanError:
        return False
    return walk.all_joined_to_an_anchor()

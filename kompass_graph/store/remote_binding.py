"""Bind a query's parameters for a remote store: inline data, never spliced values.

The embedded store binds with Oxigraph's `substitutions`: the variable holds the value
everywhere in the query, sub-selects and aggregates included. A remote SPARQL 1.1
store has no such option, so the values travel as inline data (`VALUES ?v { term }`,
SPARQL 1.1 Query, 10.2.1), each term built from a term Oxigraph has validated and
written in its N-Triples form (escaped; an IRI with `<>"{}|^\\` or white space, a bad
language tag, a blank node is refused).

Where the block goes matters. A single trailing `VALUES` after the query (the grammar's
`ValuesClause`) is joined after grouping (18.2.4.1), so `COUNT` under a bound variable
counts the whole store, and a sub-select that filters on the variable sees it unbound
and returns nothing. So the block opens every group graph pattern that mentions the
variable (the outer WHERE, each sub-select's WHERE, OPTIONAL, UNION branches, GRAPH,
EXISTS): the variable is bound wherever it occurs, as with substitution. The values
a group gets are one block of all its variables (see `_values_block`). A variable
that occurs in no group (only in the projection) gets the block in the outer WHERE.
Groups that cannot hold inline data are skipped: a CONSTRUCT template, `CONSTRUCT
WHERE`'s triples, a VALUES data block, and the braces around a sub-select.
"""

from __future__ import annotations

from collections.abc import Sequence

import pyoxigraph as ox

from kompass_graph.errors import UsageError
from kompass_graph.store.lexer import Token, tokenize, unescape_codepoints
from kompass_graph.terms import Term

__all__ = ["bind_values", "sparql_term"]


def sparql_term(term: Term, *, source: str = "query") -> str:
    """`term` as SPARQL writes it, validated by Oxigraph; UsageError when it is not a
    term a query can bind (the embedded store's message)."""
    try:
        if term.kind == "iri":
            return str(ox.NamedNode(term.value))
        if term.kind == "bnode":
            raise ValueError("a blank node cannot be bound to a variable")
        datatype = ox.NamedNode(term.datatype) if term.datatype else None
        return str(ox.Literal(term.value, language=term.language, datatype=datatype))
    except ValueError as error:
        raise UsageError(f"{source}: a parameter value is not a valid term: {error}") from None


def _pattern_groups(tokens: Sequence[Token]) -> list[tuple[int, int]]:
    """(index of `{`, index of its `}`) of each group graph pattern that may start with
    inline data, outermost first."""
    groups: list[tuple[int, int]] = []
    stack: list[tuple[int, bool]] = []
    for index, token in enumerate(tokens):
        if token.kind != "punct" or token.text not in "{}":
            continue
        if token.text == "}":
            if stack:
                start, usable = stack.pop()
                if usable:
                    groups.append((start, index))
            continue
        before = tokens[index - 1] if index else None
        two_before = tokens[index - 2] if index > 1 else None
        after = tokens[index + 1] if index + 1 < len(tokens) else None
        usable = not (
            (before is not None and before.is_keyword("CONSTRUCT"))  # the template
            or (  # CONSTRUCT WHERE { triples }
                before is not None
                and before.is_keyword("WHERE")
                and two_before is not None
                and two_before.is_keyword("CONSTRUCT")
            )
            or _is_values_block(tokens, index)
            or (after is not None and after.is_keyword("SELECT"))  # { SELECT … }
        )
        stack.append((index, usable))
    return sorted(groups)


def _is_values_block(tokens: Sequence[Token], index: int) -> bool:
    """True for the `{` of `VALUES ?v {` or `VALUES ( ?a ?b ) {`."""
    back = index - 1
    if back >= 0 and tokens[back].kind == "var":
        return back >= 1 and tokens[back - 1].is_keyword("VALUES")
    if back >= 0 and tokens[back].text == ")":
        while back >= 0 and tokens[back].text != "(":
            back -= 1
        return back >= 1 and tokens[back - 1].is_keyword("VALUES")
    return False


def _values_block(values: Sequence[tuple[str, str]]) -> str:
    """One inline-data block binding every (variable, term) of a group: one block of
    several variables, not a block per variable, as Virtuoso 7.2 joins two blocks in a
    row with a UNION after them as nothing (`{ VALUES ?a {x} VALUES ?b {x} { ?a ?p ?o }
    UNION { ?b ?p ?o } }` has no rows there; `VALUES (?a ?b) {(x x)}` has them)."""
    if len(values) == 1:
        name, written = values[0]
        return f" VALUES ?{name} {{ {written} }}"
    names = " ".join(f"?{name}" for name, _ in values)
    terms = " ".join(written for _, written in values)
    return f" VALUES ({names}) {{ ({terms}) }}"


def bind_values(query: str, bindings: Sequence[tuple[str, Term]], *, source: str = "query") -> str:
    """`query` with each binding's value as inline data in every group that mentions
    its variable (see the module docstring); the query unchanged without bindings."""
    if not bindings:
        return query
    for name, _ in bindings:
        if [(t.kind, t.text) for t in tokenize("?" + name)] != [("var", "?" + name)]:
            raise UsageError(f"{source}: {name!r} is not a SPARQL variable name")
    terms = [(name, sparql_term(term, source=source)) for name, term in bindings]
    text = unescape_codepoints(query)
    tokens = list(tokenize(text))
    groups = _pattern_groups(tokens)
    if not groups:
        raise UsageError(f"{source}: the query has no graph pattern to bind parameters in")
    inserts: dict[int, list[tuple[str, str]]] = {}
    for name, written in terms:
        spellings = {"?" + name, "$" + name}
        mentioned = [
            start
            for start, end in groups
            if any(t.kind == "var" and t.text in spellings for t in tokens[start + 1 : end])
        ]
        for start in mentioned or [groups[0][0]]:
            inserts.setdefault(tokens[start].start + 1, []).append((name, written))
    pieces: list[str] = []
    last = 0
    for offset in sorted(inserts):
        pieces.append(text[last:offset])
        pieces.append(_values_block(inserts[offset]))
        last = offset
    pieces.append(text[last:])
    return "".join(pieces)

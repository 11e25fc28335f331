"""What a query may ask the engine to do, decided before the engine sees it.

Oxigraph evaluates `SERVICE <iri>` by calling that IRI over HTTP, so a public endpoint
must stop federated queries before they reach it. The decision is taken on the
grammar's tokens (`lexer.py`), not on the raw text: after codepoint escapes are
replaced, a SERVICE keyword is a bare name token, never part of a string, an IRI, a
comment, a prefixed name (`ex:o\\#SERVICE`) or a variable. It is refused unless its
endpoint IRI is on the allow-list. Worker processes are never trusted to do it (and,
as a second wall, they have no network: `worker_child.py`).

The same tokens answer the other questions asked before a query runs: whether it
names its own dataset (FROM), whether it is an update (INSERT, LOAD, CLEAR …: refused
with "read-only" rather than a parser's complaint), and how deeply it nests: the
engine's recursive parser and planner crash or spin on thousands of nested braces or
parentheses, so a query nested deeper than `max_nesting` is refused.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from kompass_graph.errors import QueryRejectedError, UpdateRefusedError
from kompass_graph.store.lexer import Token, line_column, tokenize, unescape_codepoints

__all__ = [
    "DEFAULT_MAX_NESTING",
    "check_query",
    "has_dataset_clause",
    "looks_like_update",
    "refuse_update",
]

#: deepest nesting of { ( [ a query may have; real queries stay far below it
DEFAULT_MAX_NESTING = 64

_OPENING = frozenset("{([")
_CLOSING = frozenset("})]")
_UPDATE_KEYWORDS = (
    *("INSERT", "DELETE", "LOAD", "CLEAR", "DROP"),
    *("CREATE", "ADD", "MOVE", "COPY", "WITH"),
)


def _tokens(query: str) -> tuple[str, list[Token]]:
    text = unescape_codepoints(query)
    return text, list(tokenize(text))


def check_query(
    query: str,
    *,
    service_allow_list: Collection[str] = (),
    max_nesting: int = DEFAULT_MAX_NESTING,
) -> None:
    """Raise QueryRejectedError for a SERVICE call not on `service_allow_list`, or for
    a query nested deeper than `max_nesting`."""
    text = unescape_codepoints(query)
    # the common case costs two scans: no SERVICE anywhere, and too few brackets to nest
    may_call = "service" in text.lower()
    may_nest = sum(text.count(bracket) for bracket in _OPENING) > max_nesting
    if not (may_call or may_nest):
        return
    tokens = list(tokenize(text))
    _check_nesting(text, tokens, max_nesting)
    for index, token in enumerate(tokens):
        if token.is_keyword("SERVICE"):
            _check_service(text, tokens, index, service_allow_list)


def _check_nesting(text: str, tokens: Sequence[Token], max_nesting: int) -> None:
    depth = 0
    for token in tokens:
        if token.kind != "punct":
            continue
        if token.text in _OPENING:
            depth += 1
            if depth > max_nesting:
                raise QueryRejectedError(
                    f"query:{line_column(text, token.start)}: the query nests braces, "
                    f"parentheses or brackets deeper than {max_nesting} levels",
                    hint="flatten the query; this endpoint refuses deeper nesting",
                )
        elif token.text in _CLOSING:
            depth = max(depth - 1, 0)


def _check_service(
    text: str, tokens: Sequence[Token], index: int, allow_list: Collection[str]
) -> None:
    following = tokens[index + 1 : index + 3]
    if following and following[0].is_keyword("SILENT"):
        following = following[1:]
    target = following[0] if following else None
    iri = target.text[1:-1] if target is not None and target.kind == "iri" else None
    if iri is not None and iri in allow_list:
        return
    named = f"<{iri}>" if iri else "an endpoint given by a variable or prefixed name"
    hint = (
        "federated queries are disabled on this endpoint"
        if not allow_list
        else "allowed endpoints (written as full IRIs): " + ", ".join(sorted(allow_list))
    )
    raise QueryRejectedError(
        f"query:{line_column(text, tokens[index].start)}: SERVICE {named} is refused; "
        "no outbound request was made",
        hint=hint,
    )


def has_dataset_clause(query: str) -> bool:
    """True when the query names its own dataset (FROM or FROM NAMED).

    Oxigraph's union-default-graph option replaces the query's dataset, so a query with
    FROM must run without it (SPARQL 1.1 Query, 13.2: the query's dataset wins)."""
    if "from" not in query.lower() and "\\u" not in query and "\\U" not in query:
        return False  # the common case costs one scan
    return any(token.is_keyword("FROM") for token in _tokens(query)[1])


def looks_like_update(text: str) -> bool:
    """True when the text, after its prologue, starts like a SPARQL Update operation."""
    tokens = _tokens(text)[1]
    index = 0
    while index < len(tokens):  # the prologue: BASE <iri>, PREFIX p: <iri>
        if tokens[index].is_keyword("BASE"):
            index += 2
        elif tokens[index].is_keyword("PREFIX"):
            index += 3
        else:
            break
    return index < len(tokens) and tokens[index].is_keyword(*_UPDATE_KEYWORDS)


def refuse_update() -> UpdateRefusedError:
    return UpdateRefusedError(
        "this SPARQL endpoint is read-only: SPARQL Update (INSERT, DELETE, LOAD, CLEAR …) "
        "is not accepted",
        hint="send a query (SELECT, ASK, CONSTRUCT, DESCRIBE) with the query parameter",
    )

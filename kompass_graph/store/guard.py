"""What a query may ask the engine to do, decided before the engine sees it.

Oxigraph evaluates `SERVICE <iri>` by calling that IRI over HTTP, so a public endpoint
must stop federated queries before they reach it: this module finds the SERVICE
keyword lexically (outside strings, IRIs and comments) and refuses it unless the
endpoint IRI is on the allow-list. Worker processes are never trusted to do it.
Updates (INSERT, LOAD, CLEAR …) are named as such, so a client learns that the
endpoint is read-only rather than reading a parser's complaint.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from kompass_graph.errors import QueryRejectedError, UpdateRefusedError

__all__ = [
    "check_query",
    "has_dataset_clause",
    "looks_like_update",
    "refuse_update",
    "strip_literals",
]

# One left-to-right scan: whichever token starts first wins, like the SPARQL lexer.
# Long strings before short ones; IRIREF excludes spaces and braces (SPARQL grammar [139]).
_OPAQUE = re.compile(
    r"""'''(?:[^'\\]|\\.|'(?!''))*'''"""
    r'''|"""(?:[^"\\]|\\.|"(?!""))*"""'''
    r"""|'(?:[^'\\\n\r]|\\.)*'"""
    r'''|"(?:[^"\\\n\r]|\\.)*"'''
    r"""|<[^<>"{}|^`\\\x00-\x20]*>"""
    r"""|\#[^\n\r]*""",
    re.DOTALL,
)
# A keyword is a bare token: not part of a prefixed name (ex:SERVICE), variable or IRI.
_SERVICE = re.compile(r"(?<![\w:?$\-.])SERVICE(?![\w:\-])", re.IGNORECASE)
_FROM = re.compile(r"(?<![\w:?$\-.])FROM(?![\w:\-])", re.IGNORECASE)
_SERVICE_TARGET = re.compile(r"\s*(?:SILENT\s+)?(?:<([^<>\"{}|^`\\\x00-\x20]*)>)?", re.IGNORECASE)
# matched on the blanked text, where IRIs and comments are already spaces
_PROLOGUE = re.compile(r"\s*(?:(?:BASE|PREFIX\s*[\w.\-]*:)\s*)*", re.IGNORECASE)
_UPDATE_START = re.compile(
    r"(?:INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b", re.IGNORECASE
)


def strip_literals(query: str) -> str:
    """The query with strings, IRIs and comments blanked (same length, so positions hold)."""
    return _OPAQUE.sub(lambda m: " " * len(m.group(0)), query)


def _line_column(text: str, offset: int) -> str:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return f"{line}:{column}"


def check_query(query: str, *, service_allow_list: Collection[str] = ()) -> None:
    """Raise QueryRejectedError for a SERVICE call not on `service_allow_list`."""
    if "service" not in query.lower():  # the common case costs one scan
        return
    blanked = strip_literals(query)
    for match in _SERVICE.finditer(blanked):
        target = _SERVICE_TARGET.match(query, match.end())
        iri = target.group(1) if target else None
        if iri is not None and iri in service_allow_list:
            continue
        where = _line_column(query, match.start())
        named = f"<{iri}>" if iri else "an endpoint given by a variable or prefixed name"
        hint = (
            "federated queries are disabled on this endpoint"
            if not service_allow_list
            else "allowed endpoints (written as full IRIs): "
            + ", ".join(sorted(service_allow_list))
        )
        raise QueryRejectedError(
            f"query:{where}: SERVICE {named} is refused; no outbound request was made",
            hint=hint,
        )


def has_dataset_clause(query: str) -> bool:
    """True when the query names its own dataset (FROM or FROM NAMED).

    Oxigraph's union-default-graph option replaces the query's dataset, so a query with
    FROM must run without it (SPARQL 1.1 Query, 13.2: the query's dataset wins)."""
    if "from" not in query.lower():  # the common case costs one scan
        return False
    return _FROM.search(strip_literals(query)) is not None


def looks_like_update(text: str) -> bool:
    """True when the text, after its prologue, starts like a SPARQL Update operation."""
    blanked = strip_literals(text)
    prologue = _PROLOGUE.match(blanked)
    start = prologue.end() if prologue else 0
    return bool(_UPDATE_START.match(blanked, start))


def refuse_update() -> UpdateRefusedError:
    return UpdateRefusedError(
        "this SPARQL endpoint is read-only: SPARQL Update (INSERT, DELETE, LOAD, CLEAR …) "
        "is not accepted",
        hint="send a query (SELECT, ASK, CONSTRUCT, DESCRIBE) with the query parameter",
    )

"""The words of SPARQL 1.1 Query: keywords and built-in function names (section 19.8).

A bare name the grammar does not know is almost always a typo of one of these; the
syntax-error message points at it and names the nearest keyword, where Oxigraph's own
message points at where its parser gave up (`SELEC * WHERE` → "error at 1:10").
"""

from __future__ import annotations

import difflib

from kompass_graph.store.lexer import Token, line_column, tokenize, unescape_codepoints

__all__ = ["KEYWORDS", "unknown_word"]

KEYWORDS = frozenset(
    (
        "BASE",
        "PREFIX",
        "SELECT",
        "CONSTRUCT",
        "DESCRIBE",
        "ASK",
        "ORDER",
        "BY",
        "LIMIT",
        "OFFSET",
        "DISTINCT",
        "REDUCED",
        "FROM",
        "NAMED",
        "WHERE",
        "GRAPH",
        "OPTIONAL",
        "SERVICE",
        "SILENT",
        "BIND",
        "UNDEF",
        "MINUS",
        "UNION",
        "FILTER",
        "AS",
        "VALUES",
        "GROUP",
        "HAVING",
        "ASC",
        "DESC",
        "A",
        "TRUE",
        "FALSE",
        "NOT",
        "IN",
        "EXISTS",
        "STR",
        "LANG",
        "LANGMATCHES",
        "DATATYPE",
        "BOUND",
        "IRI",
        "URI",
        "BNODE",
        "RAND",
        "ABS",
        "CEIL",
        "FLOOR",
        "ROUND",
        "CONCAT",
        "STRLEN",
        "UCASE",
        "LCASE",
        "ENCODE_FOR_URI",
        "CONTAINS",
        "STRSTARTS",
        "STRENDS",
        "STRBEFORE",
        "STRAFTER",
        "YEAR",
        "MONTH",
        "DAY",
        "HOURS",
        "MINUTES",
        "SECONDS",
        "TIMEZONE",
        "TZ",
        "NOW",
        "UUID",
        "STRUUID",
        "MD5",
        "SHA1",
        "SHA256",
        "SHA384",
        "SHA512",
        "COALESCE",
        "IF",
        "STRLANG",
        "STRDT",
        "SAMETERM",
        "ISIRI",
        "ISURI",
        "ISBLANK",
        "ISLITERAL",
        "ISNUMERIC",
        "REGEX",
        "SUBSTR",
        "REPLACE",
        "COUNT",
        "SUM",
        "MIN",
        "MAX",
        "AVG",
        "SAMPLE",
        "GROUP_CONCAT",
        "SEPARATOR",
        "INSERT",
        "DELETE",
        "DATA",
        "LOAD",
        "CLEAR",
        "DROP",
        "CREATE",
        "ADD",
        "MOVE",
        "COPY",
        "WITH",
        "USING",
        "DEFAULT",
        "ALL",
        "INTO",
        "TO",
        "TRIPLE",
        "SUBJECT",
        "PREDICATE",
        "OBJECT",
        "ISTRIPLE",
        "LATERAL",
        "VERSION",
    )
)


def unknown_word(query: str, before: int | None = None) -> tuple[str, str] | None:
    """(line:column, message) for the last bare name the grammar does not know, before
    the character offset `before` (the parser's error position) if given."""
    text = unescape_codepoints(query)
    suspect: Token | None = None
    for token in tokenize(text):
        if before is not None and token.start >= before:
            break
        if token.kind == "name" and token.text.upper() not in KEYWORDS:
            suspect = token
    if suspect is None:
        return None
    close = difflib.get_close_matches(suspect.text.upper(), KEYWORDS, n=1, cutoff=0.6)
    hint = f" (did you mean {close[0]}?)" if close else ""
    return line_column(text, suspect.start), f"unknown word '{suspect.text}'{hint}"

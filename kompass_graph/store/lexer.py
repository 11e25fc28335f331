"""SPARQL 1.1 query text as the grammar's tokens, for the guard to decide on.

The guard must see what the engine's parser sees: a keyword such as SERVICE is a
keyword only where the grammar's lexer would make it one. So this follows the
terminals of SPARQL 1.1 Query (section 19.8): codepoint escapes (`\\u0053`) are
replaced before anything else (19.2), then comments, IRIs, the four string forms,
prefixed names with their `\\`-escapes and `%`-escapes (PN_LOCAL_ESC, PLX), blank-node
labels, variables, language tags, numbers, bare names and punctuation, the longest
match first. A character the grammar does not know becomes an `other` token; the
engine will refuse such a query anyway.

Positions are offsets into the query after codepoint escapes are replaced.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

__all__ = ["Token", "line_column", "tokenize", "unescape_codepoints"]

_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")

# PN_CHARS_BASE, PN_CHARS_U and PN_CHARS of the grammar ([164] to [168]); \w covers the
# letters and digits, the ranges add what \w lacks.
_BASE = (
    r"A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF"
    r"\u200C-\u200D\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD"
    r"\U00010000-\U000EFFFF"
)
_CHARS_U = _BASE + "_"
_CHARS = _CHARS_U + r"\-0-9\u00B7\u0300-\u036F\u203F-\u2040"
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"
_PREFIX = rf"(?:[{_BASE}](?:[{_CHARS}.]*[{_CHARS}])?)?"
_LOCAL = rf"(?:(?:[{_CHARS_U}:0-9]|{_PLX})(?:(?:[{_CHARS}.:]|{_PLX})*(?:[{_CHARS}:]|{_PLX}))?)?"

_TOKENS = re.compile(
    "|".join(
        (
            r"(?P<space>[\x20\t\r\n]+)",
            r"(?P<comment>\#[^\r\n]*)",
            r"(?P<iri><[^<>\"{}|^`\\\x00-\x20]*>)",
            r"(?P<string>'''(?:(?:'|'')?(?:[^'\\]|\\.))*'''"
            r'|"""(?:(?:"|"")?(?:[^"\\]|\\.))*"""'
            r"|'(?:[^'\\\n\r]|\\.)*'"
            r'|"(?:[^"\\\n\r]|\\.)*")',
            rf"(?P<bnode>_:[{_CHARS_U}0-9](?:[{_CHARS}.]*[{_CHARS}])?)",
            rf"(?P<pname>{_PREFIX}:{_LOCAL})",
            rf"(?P<var>[?$][{_CHARS_U}0-9][{_CHARS_U}0-9\u00B7\u0300-\u036F\u203F-\u2040]*)",
            r"(?P<langtag>@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*)",
            r"(?P<number>(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)",
            rf"(?P<name>[{_CHARS_U}][{_CHARS_U}0-9]*)",
            r"(?P<punct>\^\^|\|\||&&|!=|<=|>=|[{}()\[\];,.*=<>!+\-/|^?$])",
            r"(?P<other>.)",
        )
    ),
    re.DOTALL,
)


@dataclass(frozen=True)
class Token:
    """One terminal of the grammar: its kind (a group name above), text and offset."""

    kind: str
    text: str
    start: int

    def is_keyword(self, *words: str) -> bool:
        """True for a bare name equal to one of `words` (keywords are case-insensitive)."""
        return self.kind == "name" and self.text.upper() in words


def unescape_codepoints(query: str) -> str:
    """The query with `\\uXXXX` and `\\UXXXXXXXX` replaced, as the grammar does first."""
    if "\\u" not in query and "\\U" not in query:
        return query

    def replace(match: re.Match[str]) -> str:
        code = int(match.group(1) or match.group(2), 16)
        return chr(code) if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else match[0]

    return _CODEPOINT.sub(replace, query)


def tokenize(query: str) -> Iterator[Token]:
    """The tokens of `query` (codepoint escapes already replaced), without white space
    and comments."""
    for match in _TOKENS.finditer(query):
        kind = match.lastgroup
        assert kind is not None
        if kind not in ("space", "comment"):
            yield Token(kind, match.group(), match.start())


def line_column(text: str, offset: int) -> str:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return f"{line}:{column}"

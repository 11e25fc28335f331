"""RDF terms as plain data: the values a query parameter binds.

A stored query's parameter, a `--param` on the command line and (next) a REST query
string all end up as a `Term`. The store turns it into its engine's term and binds it
as a variable (Oxigraph's `substitutions`): a value is never spliced into query text.
`Term` is engine-neutral and pickles cheaply, so it crosses into worker processes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

__all__ = ["Term", "parse_term"]

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
# a literal as SPARQL writes it: "text", "text"@lang or "text"^^<datatype>
_LITERAL = re.compile(r'"((?:[^"\\]|\\.)*)"(?:@([A-Za-z]+(?:-[A-Za-z0-9]+)*)|\^\^<([^<>"\s]+)>)?')
_LOCAL = re.compile(r"[\w.-]*")


@dataclass(frozen=True)
class Term:
    """An IRI, a literal (with a language tag or a datatype, never both), or a blank
    node (only in answers read back from the store: a blank node cannot be bound)."""

    kind: Literal["iri", "literal", "bnode"]
    value: str
    language: str | None = None
    datatype: str | None = None

    @classmethod
    def iri(cls, value: str) -> Term:
        return cls("iri", value)

    @classmethod
    def literal(
        cls, value: str, *, language: str | None = None, datatype: str | None = None
    ) -> Term:
        if language is not None and datatype is not None:
            raise ValueError("a literal has a language tag or a datatype, not both")
        return cls("literal", value, language=language, datatype=datatype)

    @classmethod
    def bnode(cls, label: str) -> Term:
        return cls("bnode", label)

    def sparql(self) -> str:
        """The term as SPARQL writes it (for messages, never spliced into a query)."""
        if self.kind == "iri":
            return f"<{self.value}>"
        if self.kind == "bnode":
            return f"_:{self.value}"
        text = '"' + self.value.replace("\\", "\\\\").replace('"', '\\"') + '"'
        if self.language:
            return f"{text}@{self.language}"
        if self.datatype and self.datatype != _XSD_STRING:
            return f"{text}^^<{self.datatype}>"
        return text


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t", "r": "\r"}.get(m[1], m[1]), text)


def parse_term(value: str, prefixes: dict[str, str]) -> Term:
    """A parameter value as a term: `<iri>`, `prefix:local` for one of `prefixes`, an
    http(s) IRI, a SPARQL literal (`"…"`, `"…"@de`, `"…"^^<type>`); anything else is a
    plain string literal."""
    if value.startswith("<") and value.endswith(">"):
        return Term.iri(value[1:-1])
    prefix, sep, local = value.partition(":")
    if sep and prefix in prefixes and _LOCAL.fullmatch(local):
        return Term.iri(prefixes[prefix] + local)
    if value.startswith(("http://", "https://")):
        return Term.iri(value)
    literal = _LITERAL.fullmatch(value)
    if literal is not None:
        return Term.literal(_unescape(literal[1]), language=literal[2], datatype=literal[3] or None)
    return Term.literal(value)

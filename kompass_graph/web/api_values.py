"""REST API parameter values as terms: what a filter or a stored query's parameter takes.

A value is bound to a query variable (`QueryRequest.bindings`), never spliced into the
text; here it is checked and typed first, so a value that is none of the accepted
forms is refused with a 422 problem that names the parameter and what it takes.

    filter_term(value, ...)     a filter of a collection: a slug, a prefixed name or an IRI
    parameter_term(value, ...)  a stored query's parameter, by the type its header declares
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from kompass_graph.errors import InvalidParameterError
from kompass_graph.queries import PARAMETER_TYPES, QueryParameter
from kompass_graph.terms import Term, parse_term

__all__ = ["IRI_FORMS", "filter_term", "parameter_term"]

#: what a filter documents it takes
IRI_FORMS = "a slug (bamf), a prefixed name (actor:bamf) or a full IRI (https://…)"

# an IRI as RFC 3987 allows it in SPARQL: none of these characters, no spaces
_IRI = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>\"{}|^`\\]*$")
_SLUG = re.compile(r"^[A-Za-z0-9]+(?:[-_.][A-Za-z0-9]+)*$")
_PREFIXED = re.compile(r"^([A-Za-z][\w-]*):([\w.-]*)$")
_CHECKS: dict[str, tuple[re.Pattern[str], str]] = {
    "integer": (re.compile(r"^[+-]?[0-9]+$"), "an integer"),
    "decimal": (re.compile(r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$"), "a decimal number"),
    "boolean": (re.compile(r"^(true|false)$"), "true or false"),
    "date": (re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"), "a date (YYYY-MM-DD)"),
    "year": (re.compile(r"^[0-9]{4}$"), "a year (YYYY)"),
}


def _iri(value: str, parameter: str, expected: str) -> Term:
    if not _IRI.match(value):
        raise InvalidParameterError(
            f"{value!r} is not an IRI we can bind", parameter=parameter, expected=expected
        )
    return Term.iri(value)


def filter_term(value: str, *, parameter: str, namespace: str, prefixes: Mapping[str, str]) -> Term:
    """The IRI a filter value names: `<iri>` or an http(s) IRI as it is, `prefix:local`
    for one of `prefixes`, a bare slug under `namespace` (`bamf` -> `<ns>bamf`)."""
    text = value.strip()
    if text.startswith("<") and text.endswith(">"):
        return _iri(text[1:-1], parameter, IRI_FORMS)
    if text.startswith(("http://", "https://")):
        return _iri(text, parameter, IRI_FORMS)
    prefixed = _PREFIXED.match(text)
    if prefixed and prefixed[1] in prefixes:
        return _iri(prefixes[prefixed[1]] + prefixed[2], parameter, IRI_FORMS)
    if _SLUG.match(text):
        return Term.iri(namespace + text)
    raise InvalidParameterError(
        f"{value!r} is not a slug, prefixed name or IRI", parameter=parameter, expected=IRI_FORMS
    )


def parameter_term(value: str, parameter: QueryParameter, prefixes: Mapping[str, str]) -> Term:
    """A stored query's parameter value as the term its declared type says."""
    if parameter.type == "iri":
        expected = "an IRI: <https://…>, https://… or a prefixed name (project:…)"
        term = parse_term(value.strip(), dict(prefixes))
        if term.kind != "iri":
            raise InvalidParameterError(
                f"{value!r} is not an IRI", parameter=parameter.name, expected=expected
            )
        return _iri(term.value, parameter.name, expected)
    if parameter.type == "string":
        return Term.literal(value)
    pattern, expected = _CHECKS[parameter.type]
    if not pattern.match(value.strip()):
        raise InvalidParameterError(
            f"{value!r} is not {expected}", parameter=parameter.name, expected=expected
        )
    return Term.literal(value.strip(), datatype=PARAMETER_TYPES[parameter.type])

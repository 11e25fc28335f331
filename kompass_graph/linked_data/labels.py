"""The labels of many IRIs at once, in one language with a fallback.

A label is a literal of `skos:prefLabel`, `rdfs:label`, `foaf:name` or `dcterms:title`
(in that order of preference). For a language `lang` the best label is, in order: one
tagged `lang` (or a sub-tag of it, `de-CH` for `de`), an untagged one (a name is the
same in every language), one in the other page language (German or English), any
other. Terms of the standard vocabularies (dcterms:title, prov:wasDerivedFrom, …) have
no label in the store; for an IRI the store has no label for, the bundled
`axioms/standard-labels.ttl` is asked instead, by the same rule (a label in the store
always wins, even one in another language). IRIs without a label in either are absent
from the answer: the caller decides what to show instead (the pages show a prefixed name).

The IRIs are bound to the query's variables (`?s0` … `?s15`), never spliced into its
text, so one query text serves every batch of 16; a short batch repeats its last IRI.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Iterable
from importlib import resources

from rdflib import Graph, Literal

from kompass_graph.linked_data.rows import GraphReader
from kompass_graph.namespaces import DCTERMS, FOAF, RDFS, SKOS
from kompass_graph.terms import Term

__all__ = ["LABEL_PROPERTIES", "PAGE_LANGUAGES", "best_label", "labels_for"]

#: where a label comes from, most preferred first
LABEL_PROPERTIES: tuple[str, ...] = (
    str(SKOS.prefLabel),
    str(RDFS.label),
    str(FOAF.name),
    str(DCTERMS.title),
)
#: the languages the pages are written in; the first is the default
PAGE_LANGUAGES: tuple[str, ...] = ("de", "en")

# inside the package, so it ships in the wheel
_STANDARD_LABELS = ("axioms", "standard-labels.ttl")

_BATCH = 16
_SLOTS = [f"s{i}" for i in range(_BATCH)]
# The engine binds a slot where it stands in a triple pattern (not inside BIND), so each
# branch matches its own slot and says which one it was (?slot).
_QUERY = (
    f"SELECT {' '.join('?' + s for s in _SLOTS)} ?slot ?p ?label WHERE {{\n  VALUES ?p {{ "
    + " ".join(f"<{p}>" for p in LABEL_PROPERTIES)
    + " }\n  "
    + "\n  UNION ".join(f"{{ ?{s} ?p ?label BIND({i} AS ?slot) }}" for i, s in enumerate(_SLOTS))
    + "\n  FILTER (isLiteral(?label))\n}"
)


def _language_rank(tag: str | None, lang: str) -> int:
    if tag is None or tag == "":
        return 1
    primary = tag.lower().split("-")[0]
    if primary == lang:
        return 0
    return 2 if primary in PAGE_LANGUAGES else 3


def best_label(candidates: Iterable[tuple[str, Term]], lang: str) -> str | None:
    """The best of (label property, literal) pairs for `lang` (see the module docstring);
    ties go to the alphabetically first text, so the choice does not depend on row order."""
    best: tuple[int, int, str] | None = None
    for prop, literal in candidates:
        if prop not in LABEL_PROPERTIES or literal.kind != "literal":
            continue
        key = (
            _language_rank(literal.language, lang),
            LABEL_PROPERTIES.index(prop),
            literal.value,
        )
        if best is None or key < best:
            best = key
    return None if best is None else best[2]


@functools.cache
def _standard_labels() -> dict[str, tuple[tuple[str, Term], ...]]:
    """(label property, literal) pairs of each standard term, from the bundled file;
    parsed once per process, as the file never changes while it runs."""
    text = resources.files("kompass_graph").joinpath(*_STANDARD_LABELS).read_text(encoding="utf-8")
    graph = Graph()
    graph.parse(data=text, format="turtle")
    pairs: dict[str, list[tuple[str, Term]]] = {}
    for subject, prop, label in graph.triples((None, RDFS.label, None)):
        if isinstance(label, Literal):
            term = Term.literal(str(label), language=label.language)
            pairs.setdefault(str(subject), []).append((str(prop), term))
    return {iri: tuple(found) for iri, found in pairs.items()}


async def _batch(reader: GraphReader, iris: list[str]) -> list[tuple[str, str, Term]]:
    """(iri, label property, label) for the labels of up to _BATCH IRIs."""
    padded = iris + [iris[-1]] * (_BATCH - len(iris))
    bindings = {slot: Term.iri(iri) for slot, iri in zip(_SLOTS, padded, strict=True)}
    answer = await reader.select(_QUERY, source="labels", bindings=bindings)
    return [(padded[int(row["slot"].value)], row["p"].value, row["label"]) for row in answer.rows]


async def labels_for(reader: GraphReader, iris: Iterable[str], lang: str) -> dict[str, str]:
    """`{iri: label}` for those of `iris` that have a label, best for `lang`."""
    wanted = sorted(set(iris))
    if not wanted:
        return {}
    batches = [wanted[i : i + _BATCH] for i in range(0, len(wanted), _BATCH)]
    answers = await asyncio.gather(*(_batch(reader, batch) for batch in batches))
    candidates: dict[str, list[tuple[str, Term]]] = {}
    for found_labels in answers:
        for iri, prop, label in found_labels:
            candidates.setdefault(iri, []).append((prop, label))
    standard = _standard_labels()
    found = {iri: best_label(candidates.get(iri) or standard.get(iri, ()), lang) for iri in wanted}
    return {iri: label for iri, label in found.items() if label is not None}

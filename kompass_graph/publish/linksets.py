"""The linkset report for dataset linkers: what links out, what does not yet, how to join.

For every external dataset of `link_targets.LINK_TARGETS` (official keys in the
DCAT-AP.de political geocoding, NUTS, Wikidata, GND, the EU language table):

- how many of our resources link to it, with how many links, by predicate;
- the kinds (classes) of ours whose resources link to it;
- for each kind that should link to it, how many of its resources do and which do
  not yet (e.g. the municipalities without a Wikidata link);
- the SPARQL to join on it, ready to paste (our key property against theirs, e.g.
  `kg:ags` with Wikidata's `wdt:P439`), with the part that runs on our data alone and
  the number of our resources it joins.

`linkset_json` writes the report as JSON with sorted keys, lists in a fixed order and
no clock time, so the same data gives the same bytes.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from kompass_graph.publish.facts import ReleaseFacts, SelectRunner
from kompass_graph.publish.link_targets import (
    LINK_TARGETS,
    JoinKey,
    LinkCount,
    LinkTarget,
    count_links,
    kg_prefix,
)
from kompass_graph.terms import Term

__all__ = [
    "KindCoverage",
    "LinksetReport",
    "TargetJoin",
    "TargetReport",
    "linkset_json",
    "linkset_report",
]


@dataclass(frozen=True)
class KindCoverage:
    """How many resources of one of our classes link to the target, and which do not."""

    kind: str
    resources: int
    linked: int
    unlinked: tuple[str, ...]


@dataclass(frozen=True)
class TargetJoin:
    """A join on a key: the whole query, the part that runs on our data, and how many
    of our resources that part joins."""

    name: str
    our_property: str
    their_property: str
    endpoint: str
    query: str
    local_query: str
    resources: int


@dataclass(frozen=True)
class TargetReport:
    """Our links to one external dataset."""

    slug: str
    title: str
    dataset: str
    namespace: str
    links: int
    resources: int
    predicates: tuple[LinkCount, ...]
    #: our classes (IRIs) of the resources that link, with how many of each link
    linking_kinds: dict[str, int]
    coverage: tuple[KindCoverage, ...]
    joins: tuple[TargetJoin, ...]
    note: str


@dataclass(frozen=True)
class LinksetReport:
    """The report of one release."""

    release: str
    base_iri: str
    targets: tuple[TargetReport, ...]


def linkset_report(facts: ReleaseFacts, run: SelectRunner) -> LinksetReport:
    """Count our links to each external dataset and give the join queries."""
    return LinksetReport(
        release=facts.identifier,
        base_iri=facts.base_iri,
        targets=tuple(_target(facts.base_iri, target, run) for target in LINK_TARGETS),
    )


def linkset_json(report: LinksetReport) -> bytes:
    """The report as deterministic JSON (sorted keys, UTF-8, a final newline)."""
    text = json.dumps(asdict(report), sort_keys=True, indent=2, ensure_ascii=False)
    return (text + "\n").encode("utf-8")


def _linked(namespace: str) -> str:
    """A group pattern: ?s links to an IRI under `namespace`."""
    return (
        "?s ?linkPredicate ?linkTarget FILTER(isIRI(?linkTarget) && "
        f"STRSTARTS(STR(?linkTarget), {Term.literal(namespace).sparql()}))"
    )


def _target(base_iri: str, target: LinkTarget, run: SelectRunner) -> TargetReport:
    counts = count_links(target, run)
    ontology = base_iri + "ontology#"
    linked = _linked(target.namespace)
    resources = run(f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ {linked} }}")
    kinds = run(
        f"SELECT ?kind (COUNT(DISTINCT ?s) AS ?n) WHERE {{ {linked} ?s a ?kind "
        f"FILTER(STRSTARTS(STR(?kind), {Term.literal(ontology).sparql()})) }} "
        "GROUP BY ?kind ORDER BY ?kind"
    )
    return TargetReport(
        slug=target.slug,
        title=target.title,
        dataset=target.dataset,
        namespace=target.namespace,
        links=sum(c.links for c in counts),
        resources=int(resources[0]["n"].value) if resources else 0,
        predicates=tuple(counts),
        linking_kinds={row["kind"].value: int(row["n"].value) for row in kinds},
        coverage=tuple(_coverage(ontology + kind, linked, run) for kind in target.kinds),
        joins=tuple(_join(base_iri, join, run) for join in target.joins),
        note=target.note,
    )


def _coverage(kind: str, linked: str, run: SelectRunner) -> KindCoverage:
    rows = run(
        "SELECT ?s (EXISTS { " + linked + " } AS ?linked) WHERE { "
        f"?s a {Term.iri(kind).sparql()} }} ORDER BY ?s"
    )
    unlinked = tuple(row["s"].value for row in rows if row["linked"].value != "true")
    return KindCoverage(kind, len(rows), len(rows) - len(unlinked), unlinked)


def _join(base_iri: str, join: JoinKey, run: SelectRunner) -> TargetJoin:
    prefix = kg_prefix(base_iri)
    local = prefix + join.local_query
    rows = run(local)
    return TargetJoin(
        name=join.name,
        our_property=base_iri + "ontology#" + join.our_property,
        their_property=join.their_property,
        endpoint=join.endpoint,
        query=prefix + join.query,
        local_query=local,
        resources=len({row["resource"].value for row in rows}),
    )

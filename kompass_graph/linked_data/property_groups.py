"""How a resource page groups its properties: by what they say.

Names and description; relations (to other resources); participation and funding;
identifiers; provenance; and the rest ("other": literals of properties not listed
here; a property not listed whose value is an IRI counts as a relation). The
statements the ontology entails form a group of their own ("entailed"), shown last.
"""

from __future__ import annotations

from kompass_graph.namespaces import (
    ADMS,
    DCAT,
    DCTERMS,
    FOAF,
    KG,
    ORG,
    OWL,
    PROV,
    RDFS,
    SCHEMA,
    SKOS,
)

__all__ = ["GROUP_ORDER", "GROUP_TITLES", "group_of"]

GROUP_TITLES: dict[str, dict[str, str]] = {
    "names": {"de": "Namen und Beschreibung", "en": "Names and description"},
    "relations": {"de": "Beziehungen", "en": "Relations"},
    "participation": {"de": "Beteiligung und Förderung", "en": "Participation and funding"},
    "identifiers": {"de": "Kennungen", "en": "Identifiers"},
    "provenance": {"de": "Herkunft", "en": "Provenance"},
    "other": {"de": "Weitere Angaben", "en": "Other statements"},
    "entailed": {"de": "Aus der Ontologie gefolgert", "en": "Entailed by the ontology"},
}

_GROUP_OF: dict[str, str] = {
    **dict.fromkeys(
        map(
            str,
            (
                SKOS.prefLabel,
                SKOS.altLabel,
                RDFS.label,
                FOAF.name,
                DCTERMS.title,
                DCTERMS.description,
                RDFS.comment,
                SKOS.definition,
                SKOS.scopeNote,
                KG.statedAs,
                KG.memberDescription,
                KG.intendedOutcome,
                KG.portfolio,
            ),
        ),
        "names",
    ),
    **dict.fromkeys(
        map(
            str,
            (
                KG.hasParticipation,
                KG.participationIn,
                KG.participant,
                KG.role,
                KG.isFundedBy,
                KG.fundedProject,
                KG.funder,
                KG.amount,
                KG.share,
                KG.year,
                KG.startDate,
                KG.endDate,
                KG.period,
                KG.approximate,
                KG.providedBy,
                KG.supportsProject,
                KG.beneficiary,
                KG.measureType,
                ORG.hasMembership,
                ORG.organization,
                ORG.member,
                ORG.role,
                PROV.wasAssociatedWith,
                SCHEMA.value,
                SCHEMA.currency,
            ),
        ),
        "participation",
    ),
    **dict.fromkeys(
        map(
            str,
            (
                ADMS.identifier,
                SKOS.notation,
                KG.identifierScheme,
                KG.ags,
                KG.ars,
                KG.districtKey,
                KG.stateKey,
                KG.nutsCode,
                DCTERMS.identifier,
                SKOS.exactMatch,
                OWL.sameAs,
                DCTERMS.spatial,
                FOAF.page,
                DCAT.landingPage,
                KG.localCopy,
                KG.sha256,
            ),
        ),
        "identifiers",
    ),
    **dict.fromkeys(
        map(
            str,
            (
                PROV.wasDerivedFrom,
                PROV.wasAttributedTo,
                KG.graphKind,
                KG.sourceKind,
                KG.confidence,
                DCTERMS.language,
                RDFS.isDefinedBy,
            ),
        ),
        "provenance",
    ),
}
GROUP_ORDER: tuple[str, ...] = (
    "names",
    "relations",
    "participation",
    "identifiers",
    "provenance",
    "other",
)


def group_of(predicate: str, *, object_is_iri: bool) -> str:
    """The group key of a stated (not entailed) statement's predicate."""
    return _GROUP_OF.get(predicate, "relations" if object_is_iri else "other")

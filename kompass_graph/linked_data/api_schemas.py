"""The REST API's schemas for this project: which classes are its collections, from
which files. `project_schemas(settings)` is what `create_app` hands the API, the way
`project_queries(settings)` hands it the stored queries (web/ reads no files).

The collections are projects, actors (with every sub-class's shapes), fundings and
concepts; a project embeds its participations and fundings, a funding its amount.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from rdflib import RDFS, Graph, URIRef

from kompass_graph.linked_data.shape_schemas import ApiSchemas, ResourceSchema, resource_schema
from kompass_graph.namespaces import DEFAULT_BASE_IRI, KG, SCHEMA, SKOS
from kompass_graph.settings import Settings
from kompass_graph.sources import find_project_files

__all__ = ["project_schemas"]

#: the API's collections: name, class; actors take every sub-class's shapes too
_COLLECTIONS = (
    ("Project", str(KG.Project)),
    ("Actor", str(KG.Actor)),
    ("Funding", str(KG.Funding)),
    ("Concept", str(SKOS.Concept)),
)
#: what a project or funding embeds instead of naming by IRI: amount first (a funding
#: embeds it), then funding and participation (a project embeds them)
_EMBEDDED = (
    ("MonetaryAmount", str(SCHEMA.MonetaryAmount)),
    ("Funding", str(KG.Funding)),
    ("Participation", str(KG.Participation)),
)


def _super_classes(ontology: Graph) -> dict[str, frozenset[str]]:
    """Each class to its strict super-classes (rdfs:subClassOf+, IRIs only)."""
    found: dict[str, frozenset[str]] = {}
    for cls in set(ontology.subjects(RDFS.subClassOf, None)):
        if isinstance(cls, URIRef):
            above = ontology.transitive_objects(cls, RDFS.subClassOf)
            found[str(cls)] = frozenset(str(c) for c in above if isinstance(c, URIRef)) - {str(cls)}
    return found


def _subclasses(ontology: Graph, target: str) -> list[str]:
    found = ontology.transitive_subjects(RDFS.subClassOf, URIRef(target))
    return sorted({str(c) for c in found if isinstance(c, URIRef)})


@lru_cache(maxsize=8)
def _parsed(files: tuple[tuple[Path, int], ...], base_iri: str) -> Graph:
    graph = Graph()
    for path, _mtime in files:
        text = path.read_text(encoding="utf-8").replace(DEFAULT_BASE_IRI, base_iri)
        graph.parse(data=text, format="turtle")
    return graph


def _graph_of(paths: Sequence[Path], base_iri: str) -> Graph:
    # our IRIs moved to the configured base, as the loaded data is (store/rebase.py)
    files = tuple((p, p.stat().st_mtime_ns) for p in paths if p.suffix == ".ttl")
    return _parsed(files, base_iri)


def project_schemas(settings: Settings) -> ApiSchemas:
    """The schemas of the API's collections from the project's shapes (shapes/*.ttl),
    actors' sub-classes from its ontology: what `create_app` hands the API."""
    project = find_project_files(settings.project_root)
    shapes = _graph_of(project.shapes, settings.base_iri)
    ontology = _graph_of(project.ontology, settings.base_iri)
    rebase = settings.base_iri

    def moved(iri: str) -> str:
        return iri.replace(DEFAULT_BASE_IRI, rebase)

    super_classes = _super_classes(ontology)
    embed: dict[str, ResourceSchema] = {}
    for name, target in _EMBEDDED:
        embed[moved(target)] = resource_schema(
            shapes, name=name, target_class=moved(target), embed=embed, super_classes=super_classes
        )
    resources = {
        name: resource_schema(
            shapes,
            name=name,
            target_class=moved(target),
            subclasses=_subclasses(ontology, moved(target)),
            embed={k: v for k, v in embed.items() if k != moved(target)},
            super_classes=super_classes,
        )
        for name, target in _COLLECTIONS
    }
    return ApiSchemas(resources)

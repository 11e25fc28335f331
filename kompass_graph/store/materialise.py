"""The standard types and properties our ontology entails, added when a store loads.

A client that knows only W3C ORG, FOAF, PROV or schema.org asks `?x a org:Organization`
and must get our organisations, which the data types as `kg:Municipality` and so on.
So, once the files are loaded, every `rdf:type` and every statement whose class or
property has super-classes or super-properties in the loaded ontology
(`rdfs:subClassOf+`, `rdfs:subPropertyOf+`; RDFS rules rdfs9 and rdfs7) gets the entailed
statement in one named graph, `<base>graph/entailed`, described in the default graph.
Nothing already stated is repeated (a repeated triple would be a repeated row in the
union default graph). The files stay as written: validation reads the files, not the
store. Only the axioms of the loaded ontology count; `--only-data` without an
ontology entails nothing.
"""

from __future__ import annotations

import pyoxigraph as ox

__all__ = ["ENTAILED_GRAPH_PATH", "entailed_graph_iri", "materialise_entailments"]

#: where the entailed statements stand, under the base IRI
ENTAILED_GRAPH_PATH = "graph/entailed"

# `{ … } UNION { GRAPH ?g { … } }`: an update's WHERE sees only the default graph
# otherwise, and our data stands in named graphs.
_TYPES = """
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
INSERT { GRAPH <%(graph)s> { ?node rdf:type ?super } }
WHERE {
  { SELECT DISTINCT ?node ?super WHERE {
      { ?node rdf:type ?class } UNION { GRAPH ?g { ?node rdf:type ?class } }
      ?class rdfs:subClassOf+ ?super .
      FILTER (isIRI(?super) && ?super != ?class)
  } }
  FILTER NOT EXISTS { ?node rdf:type ?super }
  FILTER NOT EXISTS { GRAPH ?h { ?node rdf:type ?super } }
}
"""

_PROPERTIES = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
INSERT { GRAPH <%(graph)s> { ?s ?super ?o } }
WHERE {
  { SELECT DISTINCT ?s ?super ?o WHERE {
      { SELECT DISTINCT ?property ?super WHERE {
          ?property rdfs:subPropertyOf+ ?super .
          FILTER (isIRI(?super) && ?super != ?property)
      } }
      { ?s ?property ?o } UNION { GRAPH ?g { ?s ?property ?o } }
  } }
  FILTER NOT EXISTS { ?s ?super ?o }
  FILTER NOT EXISTS { GRAPH ?h { ?s ?super ?o } }
}
"""

_DESCRIPTION = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX prov: <http://www.w3.org/ns/prov#>
INSERT DATA {
  <%(graph)s> a prov:Entity ;
    rdfs:label "Aus der Ontologie gefolgerte Typen und Eigenschaften"@de ,
      "Types and properties entailed by the ontology"@en ;
    rdfs:comment "Beim Laden gefolgert (RDFS-Regeln rdfs7, rdfs9); keine Quelle sagt sie."@de ,
      "Entailed at load time (RDFS rules rdfs7, rdfs9); no source states them."@en ;
    prov:wasDerivedFrom <%(ontology)s> .
}
"""


def entailed_graph_iri(base_iri: str) -> str:
    return base_iri + ENTAILED_GRAPH_PATH


def materialise_entailments(store: ox.Store, *, base_iri: str) -> int:
    """Add the entailed statements to `store` (see the module docstring); returns how
    many were added (0 adds no graph description either)."""
    before = len(store)
    values = {"graph": entailed_graph_iri(base_iri), "ontology": base_iri + "ontology"}
    # properties first: a sub-property's entailed rdf:type statements are typed next
    store.update(_PROPERTIES % values)
    store.update(_TYPES % values)
    added = len(store) - before
    if added:
        store.update(_DESCRIPTION % values)
    return added

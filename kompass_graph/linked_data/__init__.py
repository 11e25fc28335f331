"""What the resource pages and the REST API read from the graph, without HTTP.

Every read goes through the store's one query path (`GraphStore.execute` with a
`QueryRequest`, values bound, never spliced), so the pages and the API work on any
store the SPARQL endpoint works on. `web/` turns what these modules return into
HTML, RDF documents and JSON.

    rows.py            run a SELECT or ASK, read its answer as `Term`s (`GraphReader`)
    paths.py           our canonical IRIs <-> this server's paths and document URLs
    describe.py        a resource's statements with their graphs; incoming links, paged
    labels.py          labels of many IRIs at once, in the page language with fallback
    property_groups.py which group of a page each property is shown in
    resource_view.py   a resource page's content as plain data
    diagram.py         a project's participants, roles and funders, laid out for SVG
    registries.py      where an external identifier's registry shows it
    ontology_graph.py  the ontology's statements, class counts, example instances
    ontology_docs.py   the ontology's documentation as plain data
    shape_schemas.py   JSON Schemas and the JSON-LD context from the SHACL shapes
    api_schemas.py     the REST collections' schemas for a project (from its shapes)
    collections.py     the REST listings with filters and paging, one resource as JSON
"""

__all__: list[str] = []

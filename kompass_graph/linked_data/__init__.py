"""What the resource pages and the REST API read from the graph, without HTTP.

Every read goes through the store's one query path (`GraphStore.execute` with a
`QueryRequest`, values bound, never spliced), so the pages and the API work on any
store the SPARQL endpoint works on. `web/` turns what these modules return into
HTML, RDF documents and JSON.

    rows.py    run a SELECT or ASK and read its answer as `Term`s (`GraphReader`)
    paths.py   our canonical IRIs <-> this server's paths and document URLs
"""

__all__: list[str] = []

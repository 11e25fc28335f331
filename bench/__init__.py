"""Benchmark of the SPARQL endpoint against its peers (issue 3).

Not part of the installed package and not a timed test: run it by hand, see
bench/README.md. Modules, in the order the data flows:

    generate   synthetic data in our ontology, seeded, streamed to N-Triples
    querymix   the parametrised query templates in bench/queries/*.rq
    measure    latency and throughput loops over any `Caller`
    client     the HTTP caller (keep-alive http.client, one connection per thread)
    systems    starting, probing and stopping each system under test
    inprocess  the in-process pyoxigraph floor, run as its own child process
    trivial    a do-nothing HTTP endpoint that measures the client's own overhead
    run        the driver: one generated file, every system, one results file
    report     results → the Markdown tables in bench/README.md, with ratios
"""

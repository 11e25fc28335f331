"""The `SelectRunner` of a loaded embedded store: the release's one way to read data.

The metadata writers (DCAT-AP.de, VoID, linksets) ask the data through a function that
takes a SELECT's text and returns its rows. This runs it exactly as the CLI runs a
query (`EmbeddedStore.run`: the same guard and execution the server's workers use) on
the union default graph, and reads the SPARQL JSON results as rows of `Term`s.
"""

from __future__ import annotations

from collections.abc import Mapping

from kompass_graph.errors import KompassError
from kompass_graph.formats import FormatChoice
from kompass_graph.linked_data.rows import Row, read_json_results
from kompass_graph.publish.facts import SelectRunner
from kompass_graph.store.embedded import EmbeddedStore
from kompass_graph.store.interface import QueryRequest
from kompass_graph.terms import Term

__all__ = ["select_rows", "store_runner"]

_JSON = FormatChoice(bindings="json", boolean="json", graph=None)


def select_rows(
    store: EmbeddedStore,
    query: str,
    *,
    source: str,
    bindings: Mapping[str, Term] | None = None,
) -> list[Row]:
    """The rows of a SELECT on `store`'s union default graph, none cut: a release's
    metadata must count everything (a cut answer raises); `source` names the query in
    error messages."""
    request = QueryRequest(
        query=query,
        formats=_JSON,
        union_default_graph=True,
        max_rows=10_000_000,
        max_bytes=1 << 40,
        bindings=tuple((bindings or {}).items()),
        source=source,
    )
    answer = store.run(request)
    if answer.truncated:
        raise KompassError(f"{source}: the answer was cut at {answer.rows} rows")
    return read_json_results(answer.body)


def store_runner(store: EmbeddedStore, *, source: str = "release metadata") -> SelectRunner:
    """A runner of SELECT queries on `store`'s union default graph (`select_rows`)."""

    def run(query: str) -> list[Row]:
        return select_rows(store, query, source=source)

    return run

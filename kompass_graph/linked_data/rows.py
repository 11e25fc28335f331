"""Reading query answers as data: the one way pages and the API ask the store.

`GraphReader.select` runs a SELECT through `GraphStore.execute`, exactly like a query
to /sparql (the same guard, timeout, worker and limits), asks for SPARQL JSON results
and returns each row as a dict of `Term`s. Values are bound as typed terms
(`bindings`), never spliced into the query text.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass

from kompass_graph.errors import KompassError
from kompass_graph.formats import FormatChoice
from kompass_graph.store.interface import GraphStore, QueryRequest
from kompass_graph.terms import Term

__all__ = ["GraphReader", "Row", "Rows", "read_json_results"]

Row = dict[str, Term]

_JSON = FormatChoice(bindings="json", boolean="json", graph=None)


@dataclass(frozen=True)
class Rows:
    """A SELECT's rows, and whether the row limit cut them."""

    rows: list[Row]
    truncated: bool


def _term(value: Mapping[str, str]) -> Term:
    kind = value["type"]
    if kind == "uri":
        return Term.iri(value["value"])
    if kind == "bnode":
        return Term.bnode(value["value"])
    return Term.literal(
        value["value"], language=value.get("xml:lang"), datatype=value.get("datatype")
    )


def read_json_results(body: bytes) -> list[Row]:
    """The rows of a SPARQL 1.1 Query Results JSON document."""
    document = json.loads(body)
    return [
        {name: _term(value) for name, value in binding.items()}
        for binding in document["results"]["bindings"]
    ]


@dataclass(frozen=True)
class GraphReader:
    """Runs our own SELECT and ASK queries for the pages and the API.

    Our queries read the union of all graphs (the data stands in one named graph per
    source) whatever the endpoint's default-graph setting, and name `GRAPH ?g` where
    they want to know the source of a statement."""

    store: GraphStore
    timeout: float
    max_rows: int = 10_000

    async def select(
        self, query: str, *, source: str, bindings: Mapping[str, Term] | None = None
    ) -> Rows:
        """The rows of `query`; `source` names it in error messages."""
        answer = await self.store.execute(
            self._request(query, source, bindings), timeout=self.timeout
        )
        return Rows(read_json_results(answer.body), answer.truncated)

    async def ask(
        self, query: str, *, source: str, bindings: Mapping[str, Term] | None = None
    ) -> bool:
        answer = await self.store.execute(
            self._request(query, source, bindings), timeout=self.timeout
        )
        result = json.loads(answer.body).get("boolean")
        if not isinstance(result, bool):
            raise KompassError(f"{source}: the store answered an ASK query without a boolean")
        return result

    def _request(
        self, query: str, source: str, bindings: Mapping[str, Term] | None
    ) -> QueryRequest:
        return QueryRequest(
            query=query,
            formats=_JSON,
            union_default_graph=True,
            max_rows=self.max_rows,
            bindings=tuple((bindings or {}).items()),
            source=source,
        )

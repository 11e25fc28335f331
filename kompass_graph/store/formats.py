"""Re-serialise small RDF documents we write ourselves (the service description)."""

from __future__ import annotations

import pyoxigraph as ox

from kompass_graph.store.answers import GRAPH_FORMATS

__all__ = ["reserialize_turtle"]


def reserialize_turtle(turtle: str, format_name: str) -> bytes:
    """`turtle` written as `format_name` (a `kompass_graph.conneg.FORMATS` graph name)."""
    if format_name == "turtle":
        return turtle.encode()
    triples = [quad.triple for quad in ox.parse(turtle, format=ox.RdfFormat.TURTLE)]
    return ox.serialize(triples, format=GRAPH_FORMATS[format_name]) or b""

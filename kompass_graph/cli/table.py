"""Query results for the terminal: a readable table from SPARQL JSON results.

The store serialises results in the standard formats; this module only turns
SPARQL 1.1 JSON results into an aligned text table with prefixed names.
"""

from __future__ import annotations

import json
import unicodedata

from kompass_graph.namespaces import shorten_iri

__all__ = ["render_table"]

_MAX_CELL = 80


def _term_text(term: dict[str, str], prefixes: dict[str, str]) -> str:
    kind, value = term.get("type"), term.get("value", "")
    if kind == "uri":
        return shorten_iri(value, prefixes)
    if kind == "bnode":
        return f"_:{value}"
    if "xml:lang" in term:
        return f"{value} @{term['xml:lang']}"
    return value


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _MAX_CELL else text[: _MAX_CELL - 1] + "…"


def render_table(json_results: str, prefixes: dict[str, str]) -> str:
    """An aligned table for SELECT results, 'true'/'false' for ASK, with a row count."""
    document = json.loads(json_results)
    if "boolean" in document:
        return ("true" if document["boolean"] else "false") + "\n"
    columns: list[str] = document["head"]["vars"]
    rows = [
        [_clip(_term_text(b[c], prefixes)) if c in b else "" for c in columns]
        for b in document["results"]["bindings"]
    ]
    widths = [max([_width(c), *(_width(r[i]) for r in rows)]) for i, c in enumerate(columns)]

    def line(cells: list[str]) -> str:
        return " | ".join(
            cell + " " * (w - _width(cell)) for cell, w in zip(cells, widths, strict=True)
        ).rstrip()

    out = [line(columns), "-+-".join("-" * w for w in widths)]
    out += [line(row) for row in rows]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out) + "\n"

"""Where a node is described: the file, and the line in it, a maintainer should open.

The file is found in the parsed graphs (a file that types the node, else one that has it
as subject, else one that mentions it); the line by reading the file's text, since
rdflib keeps no positions. Lines are searched in this order:

1. an unindented line that starts with the node (a Turtle subject);
2. an indented line that starts with the node followed by a predicate or nothing (a
   subject inside a TriG `GRAPH <…> { … }` block), the least indented one first;
3. any line that starts with the node (an object on a continuation line, a predicate).

A node is written as <IRI> or with a prefix the file declares for its namespace (any
prefix when none fits).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

__all__ = ["Locator"]

Triple = tuple[Node, Node, Node]

_PREFIX = re.compile(r"^\s*(?:@prefix|PREFIX)\s+([\w.-]*):\s*<([^>]*)>", re.IGNORECASE)
_END = r"(?=\s|$|;|,|\.)"
_PREDICATE_NEXT = r"(?:\s+(?:a\s|[\w.-]*:|<)|\s*$)"


class Locator:
    """Finds the data file, and the line in it, that describes a node."""

    def __init__(self, file_graphs: Mapping[Path, Graph]) -> None:
        self._file_graphs = dict(file_graphs)
        self._lines: dict[Path, list[str]] = {}
        self._prefixes: dict[Path, dict[str, list[str]]] = {}

    def file_of(self, node: str) -> Path | None:
        ref = URIRef(node)
        graphs = self._file_graphs.items()
        typed = [p for p, g in graphs if (ref, RDF.type, None) in g]
        described = typed or [p for p, g in graphs if (ref, None, None) in g]
        used = described or [p for p, g in graphs if (None, None, ref) in g]
        return used[0] if used else None

    def file_of_triple(self, triple: Triple) -> Path | None:
        """The first file that holds exactly this triple."""
        return next((p for p, g in self._file_graphs.items() if triple in g), None)

    def line_of(self, path: Path, node: str) -> int | None:
        lines = self._text(path)
        name = self._name_pattern(path, node)
        if name is None:
            return None
        unindented = re.compile("^" + name + _END)
        for number, text in enumerate(lines, start=1):
            if unindented.match(text):
                return number
        subject = re.compile(r"^(\s+)" + name + _PREDICATE_NEXT)
        best: tuple[int, int] | None = None
        for number, text in enumerate(lines, start=1):
            match = subject.match(text)
            if match and (best is None or len(match.group(1)) < best[0]):
                best = (len(match.group(1)), number)
        if best is not None:
            return best[1]
        anywhere = re.compile(r"^\s*" + name + _END)
        return next((n for n, text in enumerate(lines, start=1) if anywhere.match(text)), None)

    def graph_line_of(self, path: Path, graph: str) -> int | None:
        """The line that opens the named graph's block (TriG), or names it (N-Quads)."""
        lines = self._text(path)
        name = self._name_pattern(path, graph)
        if name is None:
            return None
        block = re.compile(r"^\s*(?:GRAPH\s+)?" + name + r"\s*\{", re.IGNORECASE)
        found = next((n for n, text in enumerate(lines, start=1) if block.match(text)), None)
        if found is not None:
            return found
        quoted = f"<{graph}>"
        return next((n for n, text in enumerate(lines, start=1) if quoted in text), None)

    def locate(self, node: str, *, triple: Triple | None = None) -> tuple[str | None, int | None]:
        """File and line of `node`; with `triple`, in the file that holds that triple."""
        path = self.file_of_triple(triple) if triple is not None else None
        path = path or self.file_of(node)
        if path is None:
            return None, None
        return str(path), self.line_of(path, node)

    def _text(self, path: Path) -> list[str]:
        if path not in self._lines:
            text = path.read_text(encoding="utf-8", errors="replace") if path.is_file() else ""
            self._lines[path] = text.splitlines()
        return self._lines[path]

    def _name_pattern(self, path: Path, node: str) -> str | None:
        """A regex for the node as the file writes it: <IRI> or prefix:local."""
        local = re.split(r"[/#]", node)[-1]
        if not local:
            return None
        declared = self._declared_prefixes(path)
        fitting = [
            re.escape(prefix) + ":" + re.escape(node[len(namespace) :])
            for namespace, prefixes in declared.items()
            if node.startswith(namespace) and _is_local(node[len(namespace) :])
            for prefix in prefixes
        ]
        prefixed = fitting or [r"[\w.-]*:" + re.escape(local)]
        return "(?:" + "|".join(["<" + re.escape(node) + ">", *prefixed]) + ")"

    def _declared_prefixes(self, path: Path) -> dict[str, list[str]]:
        """namespace → the prefixes the file declares for it."""
        if path not in self._prefixes:
            declared: dict[str, list[str]] = {}
            for text in self._text(path):
                match = _PREFIX.match(text)
                if match:
                    declared.setdefault(match.group(2), []).append(match.group(1))
            self._prefixes[path] = declared
        return self._prefixes[path]


def _is_local(name: str) -> bool:
    return bool(name) and "/" not in name and "#" not in name

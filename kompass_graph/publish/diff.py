"""What changed between two releases, as an RDF Patch.

Both releases' `kompass-graph.nq` hold canonical N-Quads lines (sorted, blank nodes
labelled by RDFC-1.0), so a statement is a line and a change is a line in one file and
not the other. The patch follows RDF Patch (https://afs.github.io/rdf-delta/rdf-patch.html):

    H id <urn:kompass-graph:release:0.1.0+2b7c…> .      the release the patch leads to
    H prev <urn:kompass-graph:release:0.1.0+1f5d…> .    the release it applies to
    TX .
    D <s> <p> <o> <g> .                                  removed, in line order
    A <s> <p> <o> <g> .                                  added, in line order
    TC .

The headers name releases by their identifier as a URN (`urn:kompass-graph:release:`),
which holds whatever base IRI the data is published under.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kompass_graph.errors import UsageError
from kompass_graph.publish.dumps import nquads_lines
from kompass_graph.publish.layout import dump_name, open_release

__all__ = [
    "RELEASE_URN",
    "GraphChange",
    "Patch",
    "diff_dumps",
    "diff_releases",
    "dump_lines",
    "read_patch",
]

#: a release identifier in a patch header is this followed by the identifier
RELEASE_URN = "urn:kompass-graph:release:"

_DEFAULT_GRAPH = "default graph"


@dataclass(frozen=True)
class GraphChange:
    """How many statements one graph lost and gained."""

    #: the graph's IRI, or "default graph"
    graph: str
    added: int
    removed: int


@dataclass(frozen=True)
class Patch:
    """The change from release `old` to release `new`."""

    old: str | None
    new: str | None
    #: `D …` lines (removed statements) then `A …` lines (added), each in line order
    lines: tuple[str, ...]
    #: per graph (sorted, the default graph first), only graphs that changed
    summary: tuple[GraphChange, ...]

    @property
    def added(self) -> int:
        return sum(c.added for c in self.summary)

    @property
    def removed(self) -> int:
        return sum(c.removed for c in self.summary)

    def document(self) -> bytes:
        """The patch as an RDF Patch document."""
        header = []
        if self.new is not None:
            header.append(f"H id <{RELEASE_URN}{self.new}> .")
        if self.old is not None:
            header.append(f"H prev <{RELEASE_URN}{self.old}> .")
        text = "\n".join([*header, "TX .", *self.lines, "TC ."]) + "\n"
        return text.encode("utf-8")

    def summary_text(self) -> str:
        """A few lines for people: per graph `+added -removed`, then the totals."""
        lines = [f"{c.graph}: +{c.added} -{c.removed}" for c in self.summary]
        lines.append(
            f"{self.old or '?'} -> {self.new or '?'}: {self.added} statement(s) added, "
            f"{self.removed} removed"
        )
        return "\n".join(lines) + "\n"


def _graphs(lines: Sequence[str]) -> list[str]:
    """The graph of each N-Quads line, in order."""
    if not lines:
        return []
    quads = list(ox.parse("\n".join(lines).encode("utf-8"), format=ox.RdfFormat.N_QUADS))
    return [
        _DEFAULT_GRAPH if isinstance(q.graph_name, ox.DefaultGraph) else str(q.graph_name)
        for q in quads
    ]


def _summary(added: Sequence[str], removed: Sequence[str]) -> tuple[GraphChange, ...]:
    gained = Counter(_graphs(added))
    lost = Counter(_graphs(removed))
    graphs = sorted(set(gained) | set(lost), key=lambda g: (g != _DEFAULT_GRAPH, g))
    return tuple(GraphChange(g, gained[g], lost[g]) for g in graphs)


def diff_dumps(
    old: Sequence[str], new: Sequence[str], *, old_id: str | None, new_id: str | None
) -> Patch:
    """The patch from the N-Quads lines `old` to the lines `new` (as `nquads_lines`
    reads them from a release's dump)."""
    before, after = set(old), set(new)
    removed = sorted(before - after, key=lambda line: line.encode("utf-8"))
    added = sorted(after - before, key=lambda line: line.encode("utf-8"))
    return Patch(
        old=old_id,
        new=new_id,
        lines=tuple([f"D {line}" for line in removed] + [f"A {line}" for line in added]),
        summary=_summary(added, removed),
    )


def _header_release(line: str) -> str:
    iri = line.split(maxsplit=2)[2].removesuffix(".").strip().strip("<>")
    return iri.removeprefix(RELEASE_URN)


def read_patch(document: bytes) -> Patch:
    """A patch `Patch.document` wrote (a release's changes.rdfp), read back."""
    ids: dict[str, str] = {}
    added: list[str] = []
    removed: list[str] = []
    for line in document.decode("utf-8").splitlines():
        if line.startswith(("H id ", "H prev ")):
            ids[line.split()[1]] = _header_release(line)
        elif line.startswith("A "):
            added.append(line[2:])
        elif line.startswith("D "):
            removed.append(line[2:])
    return Patch(
        old=ids.get("prev"),
        new=ids.get("id"),
        lines=tuple([f"D {line}" for line in removed] + [f"A {line}" for line in added]),
        summary=_summary(added, removed),
    )


def dump_lines(folder: Path) -> list[str]:
    """The statement lines of the release in `folder` (its kompass-graph.nq)."""
    path = folder / dump_name("nquads")
    if not path.is_file():
        raise UsageError(
            f"{folder} is not a complete release: it has no {path.name}",
            hint="build it again with `kompass-graph build --out DIR`",
        )
    try:
        return nquads_lines(path.read_bytes())
    except UnicodeDecodeError as error:
        raise UsageError(f"{path} is not UTF-8 N-Quads ({error})") from None


def diff_releases(old: Path, new: Path) -> Patch:
    """The patch from the release in folder `old` to the one in `new`."""
    before, after = open_release(old), open_release(new)
    return diff_dumps(
        dump_lines(old),
        dump_lines(new),
        old_id=before.facts.identifier,
        new_id=after.facts.identifier,
    )

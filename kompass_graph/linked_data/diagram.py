"""A project's diagram: the project, its participants with their roles, its funders.

`project_diagram` reads a `kg:Project`'s participations (actor and role) and fundings
(funder, share or amount, year) and lays them out as plain data: boxes and lines with
coordinates. The participants stand in a column to the left of the project, the
funders to the right; each actor's box names its role or its funding on a second
line, and each line links to the participation or funding it stands for. The SVG is
drawn by the template `templates/diagram.html` (autoescaped, so a label is always text),
inline in the project's page.
"""

from __future__ import annotations

import asyncio
import textwrap
from dataclasses import dataclass

from kompass_graph.linked_data.labels import labels_for
from kompass_graph.linked_data.paths import ServerPaths
from kompass_graph.linked_data.rows import GraphReader, Row
from kompass_graph.namespaces import KG, SCHEMA, prefix_map, shorten_iri
from kompass_graph.terms import Term

__all__ = ["Box", "Diagram", "DiagramLink", "Line", "lay_out", "project_diagram"]

_PARTICIPATIONS = f"""
SELECT ?project ?part ?actor ?role WHERE {{
  ?project <{KG.hasParticipation}> ?part .
  ?part <{KG.participant}> ?actor .
  OPTIONAL {{ ?part <{KG.role}> ?role }}
}}
"""
_FUNDINGS = f"""
SELECT ?project ?funding ?funder ?share ?value ?currency ?year WHERE {{
  ?project <{KG.isFundedBy}> ?funding .
  OPTIONAL {{ ?funding <{KG.funder}> ?funder }}
  OPTIONAL {{ ?funding <{KG.share}> ?share }}
  OPTIONAL {{ ?funding <{KG.amount}> ?amount . ?amount <{SCHEMA.value}> ?value .
             OPTIONAL {{ ?amount <{SCHEMA.currency}> ?currency }} }}
  OPTIONAL {{ ?funding <{KG.year}> ?year }}
}}
"""

_WIDTH = 960
_BOX_WIDTH = 270
_LINE_HEIGHT = 17
_PADDING = 10
_GAP = 16
_MARGIN = 24
#: characters per line of a box (at the page's 13px type) and lines of its name
_LINE_CHARS = 36
_NAME_LINES = 2


@dataclass(frozen=True)
class Box:
    """A labelled box: its name wrapped into `text_lines` (the last one shortened when
    the name is longer), `title` holding the full label for the tooltip."""

    x: int
    y: int
    width: int
    height: int
    text_lines: tuple[str, ...]
    title: str
    href: str
    kind: str  # "project", "participant" or "funder"
    #: a last line: the role, or the funding's share, amount and year
    subtitle: str = ""

    def line_y(self, index: int) -> int:
        """The baseline of the box's `index`th line of text (the subtitle's is the last)."""
        return self.y + _PADDING + _LINE_HEIGHT * (index + 1) - 4

    @property
    def subtitle_y(self) -> int:
        return self.line_y(len(self.text_lines))


@dataclass(frozen=True)
class Line:
    """A line from (x1, y1) to (x2, y2); `label` (role or funding) is its tooltip."""

    x1: int
    y1: int
    x2: int
    y2: int
    label: str
    href: str


@dataclass(frozen=True)
class Diagram:
    width: int
    height: int
    boxes: list[Box]
    lines: list[Line]


@dataclass(frozen=True, order=True)
class DiagramLink:
    """One actor linked to the project: through a participation or a funding."""

    actor: str
    actor_label: str
    via: str  # the participation's or funding's IRI
    label: str


def _wrap(text: str, lines: int = _NAME_LINES) -> tuple[str, ...]:
    """`text` in at most `lines` lines of `_LINE_CHARS`; the last ends in … when cut."""
    wrapped = textwrap.wrap(text, _LINE_CHARS) or [""]
    if len(wrapped) <= lines:
        return tuple(wrapped)
    last = wrapped[lines - 1]
    if len(last) > _LINE_CHARS - 1:
        last = last[: _LINE_CHARS - 1].rstrip()
    return (*wrapped[: lines - 1], last + "…")


def _height(text_lines: int, subtitle: bool) -> int:
    return 2 * _PADDING + _LINE_HEIGHT * (text_lines + (1 if subtitle else 0))


def _short(text: str) -> str:
    return _wrap(text, 1)[0]


def lay_out(
    project: tuple[str, str],
    participants: list[DiagramLink],
    funders: list[DiagramLink],
    paths: ServerPaths,
) -> Diagram:
    """Boxes and lines for a project (IRI, label) with its participants and funders."""
    side_height = _height(_NAME_LINES, subtitle=True)
    row = side_height + _GAP
    rows = max(len(participants), len(funders), 1)
    project_lines = _wrap(project[1], 3)
    project_height = _height(len(project_lines), subtitle=False)
    height = 2 * _MARGIN + max(rows * row, project_height)
    centre_x = (_WIDTH - _BOX_WIDTH) // 2
    centre_y = (height - project_height) // 2
    boxes = [
        Box(
            centre_x,
            centre_y,
            _BOX_WIDTH,
            project_height,
            project_lines,
            project[1],
            paths.link_for(project[0]),
            "project",
        )
    ]
    lines: list[Line] = []
    for side, links, x in (
        ("participant", participants, _MARGIN),
        ("funder", funders, _WIDTH - _MARGIN - _BOX_WIDTH),
    ):
        top = (height - len(links) * row) // 2
        for index, link in enumerate(links):
            y = top + index * row + _GAP // 2
            boxes.append(
                Box(
                    x,
                    y,
                    _BOX_WIDTH,
                    side_height,
                    _wrap(link.actor_label),
                    link.actor_label,
                    paths.link_for(link.actor),
                    side,
                    _short(link.label),
                )
            )
            from_x = x + _BOX_WIDTH if side == "participant" else x
            to_x = centre_x if side == "participant" else centre_x + _BOX_WIDTH
            from_y, to_y = y + side_height // 2, centre_y + project_height // 2
            lines.append(
                Line(
                    from_x,
                    from_y,
                    to_x,
                    to_y,
                    link.label,
                    paths.link_for(link.via),
                )
            )
    return Diagram(_WIDTH, height, boxes, lines)


def _funding_label(row: Row, words: dict[str, str], lang: str) -> str:
    parts = [words["funding"]]
    share = row.get("share")
    if share is not None:
        parts.append(f"{float(share.value) * 100:g} %")
    value = row.get("value")
    if value is not None:
        currency = row.get("currency")
        amount = f"{float(value.value):,.0f}"
        if lang == "de":  # German groups thousands with a dot
            amount = amount.replace(",", ".")
        parts.append(f"{amount} {currency.value if currency else ''}".strip())
    year = row.get("year")
    if year is not None:
        parts.append(year.value)
    return " · ".join(parts)


_WORDS = {
    "de": {"funding": "Förderung", "participant": "beteiligt"},
    "en": {"funding": "funding", "participant": "takes part"},
}


async def project_diagram(
    reader: GraphReader, paths: ServerPaths, iri: str, *, lang: str, title: str
) -> Diagram:
    """The diagram of the project `iri` (whose label is `title`) in `lang`."""
    bound = {"project": Term.iri(iri)}
    parts, fundings = await asyncio.gather(
        reader.select(_PARTICIPATIONS, source="project diagram", bindings=bound),
        reader.select(_FUNDINGS, source="project diagram", bindings=bound),
    )
    wanted = {row["actor"].value for row in parts.rows}
    wanted |= {row["role"].value for row in parts.rows if "role" in row}
    wanted |= {row["funder"].value for row in fundings.rows if "funder" in row}
    labels = await labels_for(reader, wanted, lang)
    prefixes = prefix_map(paths.base_iri)

    def name(term: Term) -> str:
        return labels.get(term.value) or shorten_iri(term.value, prefixes).strip("<>")

    words = _WORDS[lang]
    participants = sorted(
        {
            DiagramLink(
                row["actor"].value,
                name(row["actor"]),
                row["part"].value,
                name(row["role"]) if "role" in row else words["participant"],
            )
            for row in parts.rows
        },
        key=lambda link: (link.actor_label.lower(), link.via),
    )
    funders = sorted(
        {
            DiagramLink(
                row["funder"].value,
                name(row["funder"]),
                row["funding"].value,
                _funding_label(row, words, lang),
            )
            for row in fundings.rows
            if "funder" in row
        },
        key=lambda link: (link.actor_label.lower(), link.via),
    )
    return lay_out((iri, title), participants, funders, paths)

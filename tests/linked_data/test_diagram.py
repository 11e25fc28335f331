"""The project diagram's layout, as data."""

from __future__ import annotations

from kompass_graph.linked_data.diagram import DiagramLink, lay_out
from kompass_graph.linked_data.paths import ServerPaths

BASE = "https://w3id.org/kompass-graph/"


def test_participants_left_funders_right_each_line_labelled() -> None:
    paths = ServerPaths(BASE)
    participants = [
        DiagramLink(f"{BASE}id/actor/a{i}", f"Actor {i}", f"{BASE}id/participation/{i}", "role")
        for i in range(3)
    ]
    funders = [DiagramLink(f"{BASE}id/actor/f", "F" * 60, f"{BASE}id/funding/f", "50 %")]
    diagram = lay_out((f"{BASE}id/project/p", "Project"), participants, funders, paths)
    project, *others = diagram.boxes
    assert (project.kind, project.href, project.text) == ("project", "/id/project/p", "Project")
    left = [b for b in others if b.kind == "participant"]
    right = [b for b in others if b.kind == "funder"]
    assert [b.href for b in left] == ["/id/actor/a0", "/id/actor/a1", "/id/actor/a2"]
    assert all(b.x + b.width < project.x for b in left)
    assert all(b.x > project.x + project.width for b in right)
    assert right[0].title == "F" * 60 and len(right[0].text) <= 32
    assert [b.subtitle for b in left + right] == ["role", "role", "role", "50 %"]
    assert [line.label for line in diagram.lines] == ["role", "role", "role", "50 %"]
    assert [line.href for line in diagram.lines][-1] == "/id/funding/f"
    assert all(b.y >= 0 and b.y + b.height <= diagram.height for b in diagram.boxes)


def test_a_project_without_links_is_one_box() -> None:
    diagram = lay_out((f"{BASE}id/project/p", "P"), [], [], ServerPaths(BASE))
    assert len(diagram.boxes) == 1 and diagram.lines == []

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
    assert (project.kind, project.href, project.text_lines) == (
        "project",
        "/id/project/p",
        ("Project",),
    )
    left = [b for b in others if b.kind == "participant"]
    right = [b for b in others if b.kind == "funder"]
    assert [b.href for b in left] == ["/id/actor/a0", "/id/actor/a1", "/id/actor/a2"]
    assert all(b.x + b.width < project.x for b in left)
    assert all(b.x > project.x + project.width for b in right)
    assert right[0].title == "F" * 60
    assert [len(line) for line in right[0].text_lines] == [36, 24]
    assert [b.subtitle for b in left + right] == ["role", "role", "role", "50 %"]
    assert [line.label for line in diagram.lines] == ["role", "role", "role", "50 %"]
    assert [line.href for line in diagram.lines][-1] == "/id/funding/f"
    assert all(b.y >= 0 and b.y + b.height <= diagram.height for b in diagram.boxes)


def test_a_project_without_links_is_one_box() -> None:
    diagram = lay_out((f"{BASE}id/project/p", "P"), [], [], ServerPaths(BASE))
    assert len(diagram.boxes) == 1 and diagram.lines == []


def test_long_names_wrap_into_two_lines_and_only_then_are_cut() -> None:
    """Two authorities "of the city of …" stay apart: the distinguishing word shows."""
    paths = ServerPaths(BASE)
    names = [
        "Ausländerbehörde der Landeshauptstadt Wiesbaden",
        "Ausländerbehörde der Stadt Kassel",
        "Ein sehr langer Name einer Behörde, der auch in zwei Zeilen nicht ganz passt",
    ]
    links = [
        DiagramLink(f"{BASE}id/actor/a{i}", name, f"{BASE}id/participation/{i}", "role")
        for i, name in enumerate(names)
    ]
    boxes = lay_out((f"{BASE}id/project/p", "P"), links, [], paths).boxes[1:]
    assert boxes[0].text_lines == ("Ausländerbehörde der", "Landeshauptstadt Wiesbaden")
    assert boxes[1].text_lines == ("Ausländerbehörde der Stadt Kassel",)
    assert boxes[2].text_lines[-1].endswith("…") and len(boxes[2].text_lines) == 2
    assert all(box.subtitle_y < box.y + box.height for box in boxes)

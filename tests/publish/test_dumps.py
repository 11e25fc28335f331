"""The dumps' order and blank-node labels depend on the data only."""

from __future__ import annotations

import gzip

from kompass_graph.publish.dumps import canonical_statements, gzip_bytes, write_dump

P = "<http://example.org/p>"
G = "<http://example.org/g>"


def nquads(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode()


def test_blank_node_labels_and_input_order_do_not_change_the_dump() -> None:
    first = nquads(f"_:x {P} _:y {G} .", f'_:y {P} "leaf" .', f"<http://example.org/a> {P} _:x .")
    second = nquads(
        f"<http://example.org/a> {P} _:n1 .", f'_:n2 {P} "leaf" .', f"_:n1 {P} _:n2 {G} ."
    )
    assert canonical_statements(first) == canonical_statements(second)
    dump = write_dump(canonical_statements(first), "nquads", prefixes={})
    assert dump == write_dump(canonical_statements(second), "nquads", prefixes={})
    assert b"_:c14n" in dump and b"_:x" not in dump
    assert dump.splitlines() == sorted(dump.splitlines())


def test_trig_writes_each_graph_once_the_default_graph_first() -> None:
    statements = canonical_statements(
        nquads(
            f"<http://example.org/b> {P} <http://example.org/o> {G} .",
            f"<http://example.org/a> {P} <http://example.org/o> .",
            f"<http://example.org/a> {P} <http://example.org/o> {G} .",
        )
    )
    trig = write_dump(statements, "trig", prefixes={}).decode()
    assert trig.count("<http://example.org/g> {") == 1
    assert trig.index("<http://example.org/a> <http://example.org/p>") < trig.index(G)
    triples = write_dump(statements, "ntriples", prefixes={}).decode().splitlines()
    assert triples == [
        f"<http://example.org/a> {P} <http://example.org/o> .",
        f"<http://example.org/b> {P} <http://example.org/o> .",
    ]


def test_gzip_is_the_same_bytes_for_the_same_data() -> None:
    packed = gzip_bytes(b"data")
    assert packed == gzip_bytes(b"data")
    assert gzip.decompress(packed) == b"data"
    assert packed[3] == 0 and packed[4:8] == b"\0\0\0\0"

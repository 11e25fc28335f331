"""The query-string parser of the protocol module agrees with urllib's, byte for byte."""

from __future__ import annotations

import random
from urllib.parse import parse_qsl

import pytest

from kompass_graph.web.protocol import parse_query_string

# pieces that exercise every rule: escapes (valid, stray, lower case, split UTF-8,
# invalid UTF-8), separators, plus signs, and what quoted-printable treats specially
PIECES = [
    b"%", b"=", b"&", b"+", b"a", b"Z", b"0", b"9", b"f", b"F", b"g", b"_", b"\n", b"\r",
    b" ", b"\t", b";", b"%%", b"%2", b"=\n", b"\x7f", b"%3D", b"%3d", b"%C3%A4", b"%e2%82",
    b"%ff", b"%0A", b"%0d", b"%00", b"%5F", b"%26", b"%2B", b"query", b"\xc3\xa4", b"\xff",
]  # fmt: skip


def reference(raw: bytes) -> list[tuple[str, str]]:
    return parse_qsl(raw.decode("latin-1"), keep_blank_values=True)


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"query=SELECT+%3Fs+WHERE+%7B+%3Fs+%3Fp+%3Fo+%7D",
        b"query=ASK%7B%7D&query=ASK%7B%7D&format=json",
        b"query=%22Gr%C3%BC%C3%9Fe%22%40de&default-graph-uri=http%3A%2F%2Fex.org%2Fg",
        b"query=a=b=c&flag&&=x",
        b"query=100%25&q=%zz&r=%4",
        b"query=caf\xc3\xa9",
    ],
)
def test_known_query_strings(raw: bytes) -> None:
    assert parse_query_string(raw) == reference(raw)


def test_random_query_strings_match_urllib() -> None:
    rng = random.Random(20261125)
    for _ in range(20_000):
        raw = b"".join(rng.choice(PIECES) for _ in range(rng.randrange(0, 30)))
        assert parse_query_string(raw) == reference(raw), raw

"""The `kompass-graph` command. Placeholder wiring; subcommands are filled in per issue."""

from __future__ import annotations


def main(argv: list[str] | None = None) -> int:
    raise SystemExit("kompass-graph: not wired yet")

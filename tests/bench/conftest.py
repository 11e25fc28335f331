"""A generated sample shared by the benchmark tests (generation takes well under a second)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.generate import GenerationResult, generate

SAMPLE_TRIPLES = 10_000


@pytest.fixture(scope="session")
def sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, GenerationResult]:
    path = tmp_path_factory.mktemp("bench") / "sample-10k.nt"
    return path, generate(target_triples=SAMPLE_TRIPLES, out=path, seed=7)

"""Read a /metrics answer the way Prometheus does, with prometheus_client's own parser."""

from __future__ import annotations

from prometheus_client.parser import text_string_to_metric_families

__all__ = ["Samples", "read_samples"]


class Samples(dict[tuple[str, frozenset[tuple[str, str]]], float]):
    """Every sample of an exposition by (sample name, labels)."""

    def value(self, name: str, **labels: str) -> float:
        """The sample's value; 0 when it is not exposed (yet)."""
        return self.get((name, frozenset(labels.items())), 0.0)

    def names(self) -> set[str]:
        return {name for name, _ in self}


def read_samples(text: str) -> Samples:
    samples = Samples()
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            samples[(sample.name, frozenset(sample.labels.items()))] = sample.value
    return samples

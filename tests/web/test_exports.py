"""The store, conneg and web modules say exactly what they export (`__all__`)."""

from __future__ import annotations

import importlib
import inspect

import pytest

MODULES = [
    "kompass_graph.conneg",
    "kompass_graph.store",
    "kompass_graph.store.answers",
    "kompass_graph.store.base",
    "kompass_graph.store.embedded",
    "kompass_graph.store.execution",
    "kompass_graph.store.formats",
    "kompass_graph.store.guard",
    "kompass_graph.store.workers",
    "kompass_graph.web",
    "kompass_graph.web.app",
    "kompass_graph.web.health",
    "kompass_graph.web.observability",
    "kompass_graph.web.problems",
    "kompass_graph.web.protocol",
    "kompass_graph.web.server",
    "kompass_graph.web.service_description",
    "kompass_graph.web.sparql",
    "kompass_graph.web.state",
]


@pytest.mark.parametrize("name", MODULES)
def test_all_lists_exactly_the_public_definitions(name: str) -> None:
    module = importlib.import_module(name)
    exported = set(module.__all__)
    assert [n for n in exported if not hasattr(module, n)] == []
    defined_here = {
        n
        for n, obj in vars(module).items()
        if not n.startswith("_")
        and (inspect.isfunction(obj) or inspect.isclass(obj))
        and getattr(obj, "__module__", None) == name
    }
    assert defined_here - exported == set(), f"public but not in __all__: {defined_here - exported}"


def test_create_app_and_run_are_the_entry_points() -> None:
    from kompass_graph.web import create_app
    from kompass_graph.web.server import build_load_plan, run

    assert callable(create_app) and callable(run) and callable(build_load_plan)

"""The public API of each module is explicit: __all__ names exist and nothing else is public."""

import importlib
import inspect

import pytest

MODULES = [
    "kompass_graph",
    "kompass_graph.conneg",
    "kompass_graph.consistency",
    "kompass_graph.entailment",
    "kompass_graph.errors",
    "kompass_graph.findings",
    "kompass_graph.locator",
    "kompass_graph.namespaces",
    "kompass_graph.parse",
    "kompass_graph.quality_rules",
    "kompass_graph.queries",
    "kompass_graph.report",
    "kompass_graph.results",
    "kompass_graph.settings",
    "kompass_graph.sources",
    "kompass_graph.query_command",
    "kompass_graph.store",
    "kompass_graph.store.answers",
    "kompass_graph.store.base",
    "kompass_graph.store.embedded",
    "kompass_graph.store.execution",
    "kompass_graph.store.formats",
    "kompass_graph.store.guard",
    "kompass_graph.store.local",
    "kompass_graph.store.workers",
    "kompass_graph.traceability",
    "kompass_graph.validate",
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
    "kompass_graph.web.ui",
]


@pytest.mark.parametrize("name", MODULES)
def test_all_lists_exactly_the_public_definitions(name: str) -> None:
    module = importlib.import_module(name)
    exported = set(module.__all__)
    missing = [n for n in exported if not hasattr(module, n)]
    assert missing == []
    defined_here = {
        n
        for n, obj in vars(module).items()
        if not n.startswith("_")
        and (inspect.isfunction(obj) or inspect.isclass(obj))
        and getattr(obj, "__module__", None) == name
    }
    assert defined_here - exported == set(), f"public but not in __all__: {defined_here - exported}"


def test_every_error_maps_to_an_http_status_and_exit_code() -> None:
    from kompass_graph import errors

    for name in errors.__all__:
        cls = getattr(errors, name)
        if isinstance(cls, type) and issubclass(cls, errors.KompassError):
            assert 400 <= cls.http_status <= 599, name
            assert cls.exit_code in (1, 2), name
            assert cls.slug and cls.title, name


def test_create_app_and_run_are_the_entry_points() -> None:
    from kompass_graph.web import create_app
    from kompass_graph.web.server import build_load_plan, run

    assert callable(create_app) and callable(run) and callable(build_load_plan)

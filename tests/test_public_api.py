"""The public API of each module is explicit: __all__ names exist and nothing else is public.

The modules are found by walking the package, so a new module is checked without being
listed here, and one that cannot be imported fails.
"""

import importlib
import inspect
import pkgutil
from types import ModuleType

import pytest

import kompass_graph

#: run as scripts, not imported as modules
SCRIPTS = {"kompass_graph.__main__"}


def package_modules() -> list[str]:
    names = [kompass_graph.__name__]
    for info in pkgutil.walk_packages(kompass_graph.__path__, prefix="kompass_graph."):
        if info.name not in SCRIPTS:
            names.append(info.name)
    return sorted(names)


MODULES = package_modules()


def test_the_walk_finds_the_package_modules() -> None:
    """The walk itself can fail: it must see subpackages and their modules."""
    for expected in (
        "kompass_graph.cli.query",
        "kompass_graph.store.execution",
        "kompass_graph.web.app",
    ):
        assert expected in MODULES
    assert len(MODULES) > 30


@pytest.mark.parametrize("name", MODULES)
def test_all_lists_exactly_the_public_definitions(name: str) -> None:
    module: ModuleType = importlib.import_module(name)
    assert hasattr(module, "__all__"), f"{name} has no __all__"
    exported = set(module.__all__)
    missing = [n for n in exported if not hasattr(module, n)]
    assert missing == [], f"{name}.__all__ names what it does not define: {missing}"
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

    checked = 0
    for name in errors.__all__:
        cls = getattr(errors, name)
        if isinstance(cls, type) and issubclass(cls, errors.KompassError):
            assert 400 <= cls.http_status <= 599, name
            assert cls.exit_code in (1, 2), name
            assert cls.slug and cls.title, name
            checked += 1
    assert checked > 5, "no error classes found; the check would prove nothing"


def test_the_entry_points_are_importable_and_run() -> None:
    from kompass_graph.cli import main

    assert main(["query", "--list"]) == 0

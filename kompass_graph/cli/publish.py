"""`kompass-graph publish --to URL`: check the data, then load its release into a store.

The data is selected by the flags `serve` and `build` take for it (--data, --only-data,
--no-validate-data, --base-iri, --no-entail-standard-types, --project-root); the store
by `--to` (its SPARQL query URL) and the store settings (--store-update-url,
--store-user; the password from KOMPASS_STORE_PASSWORD). On violations nothing is sent
to the store and the command exits 1 with the report. How the load stays atomic for
readers: kompass_graph/publish/remote.py.
"""

from __future__ import annotations

import argparse

from kompass_graph.cli.build import BUILD_SETTINGS
from kompass_graph.cli.serve import add_project_root_flag, add_setting_flags
from kompass_graph.settings import Settings

__all__ = ["PUBLISH_SETTINGS", "add_parser", "run"]

#: what the release holds (as `build`), and how to reach and write to the store
PUBLISH_SETTINGS: tuple[str, ...] = (
    *BUILD_SETTINGS,
    "store_update_url",
    "store_user",
    "store_connect_timeout",
)


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    publish = commands.add_parser(
        "publish",
        help="check the data, then load its release into a remote SPARQL store",
        description="Build the release as `build` does (nothing is sent on violations), "
        "then load it into the store in one update request: its readers see the old "
        "release or the new one. A store that already holds this release is left as it is.",
    )
    publish.add_argument(
        "--to",
        required=True,
        metavar="URL",
        help="the store's SPARQL query URL (e.g. http://127.0.0.1:7878/query)",
    )
    add_setting_flags(publish, PUBLISH_SETTINGS)
    add_project_root_flag(publish)
    publish.set_defaults(run=run, setting_flags=PUBLISH_SETTINGS)


def run(args: argparse.Namespace, settings: Settings) -> int:
    from kompass_graph.publish.remote import publish_release

    report = publish_release(settings, args.to)
    if report.published:
        was = f"; it held {report.previous}" if report.previous else ""
        print(
            f"published release {report.release} to {args.to}: {report.statements} "
            f"statements in {report.graphs} named graphs and the default graph{was} "
            f"({report.seconds:.1f} s)"
        )
    else:
        print(f"the store at {args.to} already holds release {report.release}; nothing written")
    return 0

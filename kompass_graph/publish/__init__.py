"""The release: deterministic dumps, checksums, DCAT-AP.de and VoID, diffs, the CI gate.

facts.py         what every part of a release knows (`ReleaseFacts`), and the one
                 release identifier the server also names in its responses
build.py         check, write the release into a folder beside the target, swap it in
dumps.py         the dumps: sorted statements, canonical blank nodes, gzip
layout.py        the release's file names, release.json, SHA256SUMS; open a release
release_files.py what a server may serve of a release folder
runner.py        synchronous SELECTs on a release's store (the CLI's query path)
dcat.py          the DCAT-AP.de description; dcat_check.py runs the official shapes
void.py          the VoID description; link_targets.py the external datasets we link
linksets.py      the linkset report: counts, kinds not yet linked, join queries
diff.py          RDF Patch between two releases
check.py         `kompass-graph check`: every step a maintainer's CI runs
check_report.py  its report and renderers; smoke.py the protocol smoke test
"""

__all__: list[str] = []

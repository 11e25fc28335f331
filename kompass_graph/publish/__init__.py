"""The release: deterministic dumps, checksums, DCAT-AP.de and VoID, diffs.

facts.py      what every part of a release knows about it (`ReleaseFacts`), and the
              one release identifier the server names in its responses
"""

__all__: list[str] = []

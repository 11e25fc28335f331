"""The HTTP layer: an app factory, one router per surface, one error handler.

It never reads data files and never touches an engine; it sees a `GraphStore`.
"""

from kompass_graph.web.app import create_app

__all__ = ["create_app"]

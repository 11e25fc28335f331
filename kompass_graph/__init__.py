"""Kompass Graph: the Hessian Integrationskompass as a linked-open-data knowledge graph.

The data flows sources → parse → validate → store → serve → CLI; each step is one module.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]

"""Answers kept by their request: the served release never changes, so neither do they.

An answer depends only on the data and the `QueryRequest`: the query text, its
bindings, dataset, formats, limits and base IRI. The time limit decides only whether
an answer comes at all. So the embedded store keeps the answers it sent, keyed by
(release, request), and answers the same request again without a worker: no pickle,
no process hop, no evaluation. A reload starts an empty cache for the new release.

Bounded by bytes, not entries: an entry costs its body, its query text and a fixed
allowance for the objects around them; the least recently used go first. Not kept:
- errors and timeouts (a timeout says how busy the server was, not what the data is);
- answers that are not a function of the data: queries calling NOW(), RAND(), UUID()
  or STRUUID(), and SERVICE calls (an allowed remote endpoint's data changes);
- an answer larger than an eighth of the budget, which would push out many others.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

from kompass_graph.store.interface import QueryAnswer, QueryRequest
from kompass_graph.store.lexer import tokenize, unescape_codepoints

__all__ = ["AnswerCache", "AnswerCacheStats", "is_repeatable"]

#: what an entry costs beyond its body and query text: key, answer and dict slots
ENTRY_OVERHEAD = 512

#: functions whose value changes from one evaluation to the next, and SERVICE
_VOLATILE = ("NOW", "RAND", "UUID", "STRUUID", "SERVICE")
_VOLATILE_LOWER = tuple(word.lower() for word in _VOLATILE)

_Key = tuple[str, QueryRequest]


@dataclass
class AnswerCacheStats:
    """Counters the metrics endpoint reads."""

    hits: int = 0
    misses: int = 0
    bytes: int = 0  # what the entries held now cost
    entries: int = 0  # how many there are: len() of the cache's dict after each change


def is_repeatable(query: str) -> bool:
    """False when the query's answer may differ between two runs on the same data: it
    calls NOW(), RAND(), UUID() or STRUUID(), or has a SERVICE clause."""
    text = unescape_codepoints(query)
    lowered = text.lower()
    if not any(word in lowered for word in _VOLATILE_LOWER):  # the common case: one scan
        return True
    return not any(token.is_keyword(*_VOLATILE) for token in tokenize(text))


class AnswerCache:
    """Answers by (release, request), least recently used out past `max_bytes`."""

    def __init__(self, max_bytes: int, stats: AnswerCacheStats | None = None) -> None:
        self.max_bytes = max_bytes
        self.stats = stats or AnswerCacheStats()
        self._entries: OrderedDict[_Key, QueryAnswer] = OrderedDict()

    @property
    def enabled(self) -> bool:
        return self.max_bytes > 0

    def get(self, release: str, request: QueryRequest) -> QueryAnswer | None:
        if not self.enabled:
            return None
        key = (release, request)
        answer = self._entries.get(key)
        if answer is None:
            self.stats.misses += 1
            return None
        self._entries.move_to_end(key)
        self.stats.hits += 1
        return answer

    def put(self, release: str, request: QueryRequest, answer: QueryAnswer) -> None:
        """Keep `answer` unless it is too large or its query is not repeatable."""
        size = _cost(request, answer)
        if not self.enabled or size > self.max_bytes // 8 or not is_repeatable(request.query):
            return
        key = (release, request)
        previous = self._entries.pop(key, None)
        if previous is not None:  # two equal requests ran at once: keep one
            self._forget(request, previous)
        self._entries[key] = answer
        self.stats.bytes += size
        while self.stats.bytes > self.max_bytes:
            (_, old_request), old_answer = self._entries.popitem(last=False)
            self._forget(old_request, old_answer)
        self.stats.entries = len(self._entries)

    def clear(self) -> None:
        self._entries.clear()
        self.stats.bytes = self.stats.entries = 0

    def _forget(self, request: QueryRequest, answer: QueryAnswer) -> None:
        self.stats.bytes -= _cost(request, answer)


def _cost(request: QueryRequest, answer: QueryAnswer) -> int:
    return len(answer.body) + len(request.query) + ENTRY_OVERHEAD

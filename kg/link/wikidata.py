"""The online Wikidata API: candidates (``wbsearchentities``) and entities (``wbgetentities``).

Polite by the Wikimedia rules: a descriptive User-Agent, ``maxlag``, up to 50 ids per
``wbgetentities``, retries with backoff on 429 and 503 honouring ``Retry-After``, and a
request budget. Everything fetched is written into the local knowledge base, so a
second run needs no network and gives the same links.
"""

from __future__ import annotations

import email.utils
import json
import logging
import os
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable
from typing import Any

from kg import __version__
from kg.errors import KGError
from kg.link.importers import entity_record
from kg.link.kb import EntityRecord, KnowledgeBase
from kg.link.linker import KBLinker
from kg.model import ArticleGraph, Scope

__all__ = ["DEFAULT_API", "USER_AGENT", "OnlineLinker", "WikidataClient", "WikidataError", "WikidataUnavailableError"]

logger = logging.getLogger(__name__)

DEFAULT_API = "https://www.wikidata.org/w/api.php"
USER_AGENT = f"kg/{__version__} (news knowledge-graph builder; https://github.com/kg-news/kg) Python-urllib"
BATCH = 50
MAX_WAIT = 60.0


class WikidataError(KGError):
    """The API answered with an error, or the request budget is spent."""


class WikidataUnavailableError(WikidataError):
    """The API cannot be reached (no network, DNS, refused, timed out)."""


def _retry_after(value: str | None, attempt: int) -> float:
    """Seconds to wait: the ``Retry-After`` header (seconds or an HTTP date), else backoff."""
    if value:
        value = value.strip()
        if value.isdigit():
            return min(MAX_WAIT, float(value))
        try:
            when = email.utils.parsedate_to_datetime(value)
            return max(0.0, min(MAX_WAIT, when.timestamp() - time.time()))
        except (TypeError, ValueError):
            pass
    return min(MAX_WAIT, 2.0**attempt)


class WikidataClient:
    """A small, polite client of the Wikidata action API.

    Args:
        api: the ``api.php`` URL (a local test server in the tests).
        timeout: seconds per request.
        maxlag: the ``maxlag`` parameter (seconds of replication lag tolerated).
        retries: attempts after the first, on 429/503, ``maxlag`` errors and timeouts.
        budget: most requests this client will make.
        sleep: how to wait (the tests pass a recorder).
    """

    def __init__(
        self,
        api: str = DEFAULT_API,
        *,
        user_agent: str = USER_AGENT,
        timeout: float = 10.0,
        maxlag: int = 5,
        retries: int = 3,
        budget: int = 500,
        lang: str = "en",
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.api = api
        self.user_agent = user_agent
        self.timeout = timeout
        self.maxlag = maxlag
        self.retries = retries
        self.budget = budget
        self.lang = lang
        self.sleep = sleep
        self.requests = 0

    def _get(self, params: dict[str, str]) -> dict[str, Any]:
        query = urllib.parse.urlencode({**params, "format": "json", "formatversion": "1", "maxlag": str(self.maxlag)})
        url = f"{self.api}?{query}"
        for attempt in range(self.retries + 1):
            if self.requests >= self.budget:
                raise WikidataError(f"request budget of {self.budget} spent")
            self.requests += 1
            request = urllib.request.Request(url, headers={"User-Agent": self.user_agent, "Accept": "application/json"})
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:
                    body = json.load(response)
                    headers = response.headers
            except urllib.error.HTTPError as exc:
                if exc.code in (429, 503) and attempt < self.retries:
                    wait = _retry_after(exc.headers.get("Retry-After"), attempt)
                    logger.info("Wikidata answered %d; waiting %.1f s", exc.code, wait)
                    self.sleep(wait)
                    continue
                raise WikidataError(f"Wikidata API: HTTP {exc.code} {exc.reason}") from exc
            except TimeoutError as exc:
                if attempt < self.retries:
                    self.sleep(_retry_after(None, attempt))
                    continue
                raise WikidataUnavailableError(f"Wikidata API timed out after {self.timeout:g} s") from exc
            except urllib.error.URLError as exc:
                if isinstance(exc.reason, TimeoutError) and attempt < self.retries:
                    self.sleep(_retry_after(None, attempt))
                    continue
                raise WikidataUnavailableError(f"cannot reach {self.api}: {exc.reason}") from exc
            except json.JSONDecodeError as exc:
                raise WikidataError(f"Wikidata API: not JSON ({exc.msg})") from exc
            error = body.get("error") if isinstance(body, dict) else None
            if error:
                if error.get("code") == "maxlag" and attempt < self.retries:
                    wait = _retry_after(headers.get("Retry-After"), attempt)
                    logger.info("Wikidata is lagged (%s); waiting %.1f s", error.get("lag"), wait)
                    self.sleep(wait)
                    continue
                raise WikidataError(f"Wikidata API error {error.get('code')}: {error.get('info')}")
            return body
        raise WikidataError("Wikidata API: out of retries")

    def search(self, name: str, *, limit: int = 7) -> list[str]:
        """QIDs of items whose label or alias matches ``name`` (``wbsearchentities``)."""
        body = self._get(
            {
                "action": "wbsearchentities",
                "search": name,
                "language": self.lang,
                "uselang": self.lang,
                "type": "item",
                "limit": str(limit),
            }
        )
        return [hit["id"] for hit in body.get("search", []) if isinstance(hit.get("id"), str)]

    def entities(self, qids: Iterable[str]) -> dict[str, dict[str, Any]]:
        """Entity JSON by QID (``wbgetentities``, 50 ids a request); missing ids are left out."""
        wanted = list(dict.fromkeys(qids))
        out: dict[str, dict[str, Any]] = {}
        for start in range(0, len(wanted), BATCH):
            chunk = wanted[start : start + BATCH]
            body = self._get(
                {
                    "action": "wbgetentities",
                    "ids": "|".join(chunk),
                    "languages": self.lang,
                    "props": "labels|aliases|descriptions|claims|sitelinks",
                }
            )
            for qid, entity in (body.get("entities") or {}).items():
                if isinstance(entity, dict) and "missing" not in entity:
                    out[qid] = entity
        return out


class OnlineLinker(KBLinker):
    """The knowledge base, completed from the Wikidata API.

    ``everything=False`` (the ``auto`` linker) asks the API only for names the base has
    no candidate for; ``True`` (the ``wikidata`` linker) for every name not asked before,
    in this run or an earlier one (the base remembers the names it was searched for).
    Without network it warns once and goes on with the base alone.
    """

    source = "wikidata"

    def __init__(
        self,
        kb: KnowledgeBase,
        *,
        client: WikidataClient | None = None,
        everything: bool = False,
        threshold: float | None = None,
    ) -> None:
        super().__init__(kb, threshold=threshold, fetch=self._fetch)
        self.client = client or WikidataClient(os.environ.get("KG_WIKIDATA_API") or DEFAULT_API)
        self.everything = everything
        self.offline = False
        self.asked: set[str] = set()

    def link(self, graph: ArticleGraph) -> ArticleGraph:
        if self.everything and not self.offline:
            names = [
                n.label for n in graph.nodes if n.kind == "entity" and n.qid is None and n.key.scope is not Scope.LOCAL
            ]
            self._fetch(names)
        return super().link(graph)

    def _fetch(self, names: list[str]) -> None:
        names = [n for n in dict.fromkeys(names) if n not in self.asked]
        self.asked.update(names)
        names = [n for n in names if n not in self.kb.searched(names)]  # asked in an earlier run
        if self.offline or not names:
            return
        try:
            qids: list[str] = []
            done: list[str] = []
            for name in names:
                qids += self.client.search(name)
                done.append(name)
            new = [q for q in dict.fromkeys(qids) if q not in self.kb]
            records = self._records(self.client.entities(new))
            classes = {c for r in records for c in r.p31}
            parents = self._records(self.client.entities(c for c in classes if c not in self.kb))
            grand = {c for r in parents for c in r.subclass_of}
            self.kb.add(records + parents + self._records(self.client.entities(c for c in grand if c not in self.kb)))
            self.kb.resolve_types()
            self.kb.note_searched(done)
        except WikidataUnavailableError as exc:
            self.offline = True
            logger.warning("Wikidata is not reachable (%s); linking from the knowledge base only", exc)
        except WikidataError as exc:
            self.offline = True
            logger.warning("Wikidata lookups stopped (%s); linking from the knowledge base only", exc)

    @staticmethod
    def _records(entities: dict[str, dict[str, Any]]) -> list[EntityRecord]:
        out = []
        for entity in entities.values():
            record = entity_record(entity, source="wikidata-api")
            if record is not None:
                out.append(record)
        return out

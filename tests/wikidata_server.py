"""A real HTTP server on 127.0.0.1 that answers like Wikidata's ``api.php`` (for the tests).

It serves ``wbsearchentities`` and ``wbgetentities`` in Wikidata's JSON format from a set
of entity objects (the shared sample files when present), and can be told to misbehave:
answer 429 with ``Retry-After``, a ``maxlag`` error, or nothing for a while (timeout).
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse


class FakeWikidata:
    def __init__(self, entities: dict[str, dict[str, Any]]) -> None:
        self.entities = entities
        self.script: deque[str] = deque()  # "429", "maxlag", "slow", "500"
        self.requests: list[dict[str, Any]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                return

            def do_GET(self) -> None:
                url = urlparse(self.path)
                params = {k: v[0] for k, v in parse_qs(url.query).items()}
                server.requests.append({"path": url.path, "params": params, "agent": self.headers.get("User-Agent")})
                action = server.script.popleft() if server.script else "ok"
                if action == "429":
                    self._send(429, {"error": "too many requests"}, {"Retry-After": "2"})
                    return
                if action == "500":
                    self._send(500, {"error": "oops"})
                    return
                if action == "slow":
                    time.sleep(1.0)
                if action == "maxlag":
                    body = {"error": {"code": "maxlag", "info": "Waiting for a database server: 7 seconds lagged.",
                                      "host": "db1", "lag": 7, "type": "db"}}  # fmt: skip
                    self._send(200, body, {"Retry-After": "5", "X-Database-Lag": "7"})
                    return
                self._send(200, server.answer(params))

            def _send(self, code: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> None:
                data = json.dumps(body).encode()
                try:
                    self.send_response(code)
                    self.send_header("Content-Type", "application/json; charset=utf-8")
                    self.send_header("Content-Length", str(len(data)))
                    for k, v in (headers or {}).items():
                        self.send_header(k, v)
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/w/api.php"

    def answer(self, params: dict[str, str]) -> dict[str, Any]:
        action = params.get("action")
        if action == "wbsearchentities":
            wanted = params.get("search", "").lower()
            hits = []
            for qid, entity in self.entities.items():
                names = [entity["labels"].get("en", {}).get("value", "")]
                names += [a["value"] for a in entity.get("aliases", {}).get("en", [])]
                if any(n.lower() == wanted for n in names):
                    hits.append({"id": qid, "title": qid, "label": names[0], "match": {"type": "label"}})
            return {"searchinfo": {"search": params.get("search")}, "search": hits, "success": 1}
        if action == "wbgetentities":
            ids = params.get("ids", "").split("|")
            found = {q: self.entities.get(q, {"id": q, "missing": ""}) for q in ids}
            return {"entities": found, "success": 1}
        return {"error": {"code": "badvalue", "info": f"Unrecognized value for parameter action: {action}"}}

    def __enter__(self) -> FakeWikidata:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

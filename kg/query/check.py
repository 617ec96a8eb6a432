"""What a query may do, decided on its parse, never on its text.

`check_query` parses the query with rdflib's SPARQL grammar and walks the tree the
parser returns: an update is refused, and so is every ``SERVICE`` (in a group, an
``OPTIONAL``, a subquery, a ``FILTER EXISTS``, a ``BIND`` or an ``ORDER BY``) unless
its endpoint is allowed. A regular expression over the text cannot know that
``ex:a\\#`` is a name and not a comment; the parser does. A query the parser cannot
read is refused with the parser's message: what cannot be checked is not run.
"""

from __future__ import annotations

import threading
from collections.abc import Collection, Iterator
from dataclasses import dataclass

from pyparsing import ParseException, ParseResults
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import URIRef, Variable

from kg.errors import QueryError

__all__ = ["Checked", "check_query", "check_update"]

AllowService = bool | Collection[str]
"""``False``: no ``SERVICE``; ``True``: any endpoint; a collection: those endpoint IRIs only."""


@dataclass(frozen=True, slots=True)
class Checked:
    """What the parse of an accepted query says: its form and the variables it mentions."""

    form: str
    variables: frozenset[str]
    services: tuple[str, ...]


_PARSING = threading.Lock()
"""rdflib's grammar (pyparsing) is not safe to use from two threads at once: eight threads
parsing their first queries together broke it for good in one process (``TypeError:
<lambda>() missing 1 required positional argument``, every later aggregate query
refused). Parsing takes 1-7 ms and holds the GIL anyway."""
_FORMS = {"SelectQuery": "select", "AskQuery": "ask", "ConstructQuery": "construct", "DescribeQuery": "describe"}


def check_query(sparql: str, *, allow_service: AllowService = False) -> Checked:
    """Refuse updates, unreadable queries and (unless allowed) federated ``SERVICE`` calls.

    Raises:
        QueryError: with one line saying why.
    """
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        with _PARSING:
            parsed = parseQuery(sparql)
    except ParseException as exc:
        if _is_update(sparql):
            raise QueryError("this is a SPARQL update; queries here only read") from None
        raise QueryError(_syntax_error(exc)) from None
    except (RecursionError, ValueError, TypeError) as exc:
        raise QueryError(f"cannot read the query: {type(exc).__name__}: {exc}") from None
    nodes = list(_walk(parsed))
    prefixes = {str(n.get("prefix") or ""): str(n["iri"]) for n in nodes if n.name == "PrefixDecl"}
    services = tuple(_endpoint(node, prefixes) for node in nodes if node.name == "ServiceGraphPattern")
    for endpoint in services:
        if not _allowed(endpoint, allow_service):
            hint = " (allow it explicitly with --allow-service)" if allow_service is False else ""
            raise QueryError(f"federated SERVICE call to {endpoint} is not allowed{hint}")
    form = next((_FORMS[node.name] for node in nodes if node.name in _FORMS), "select")
    variables = frozenset(str(v) for v in _variables(parsed))
    return Checked(form=form, variables=variables, services=services)


def check_update(sparql: str, *, allow_service: AllowService = False) -> None:
    """For an endpoint that accepts updates (`kg serve --allow-update`): refuse an update
    the parser cannot read, and one whose ``WHERE`` calls a ``SERVICE`` not allowed.

    Raises:
        QueryError: with one line saying why.
    """
    from rdflib.plugins.sparql.parser import parseUpdate

    try:
        with _PARSING:
            parsed = parseUpdate(sparql)
    except ParseException as exc:
        raise QueryError(_syntax_error(exc)) from None
    except (RecursionError, ValueError, TypeError) as exc:
        raise QueryError(f"cannot read the update: {type(exc).__name__}: {exc}") from None
    nodes = list(_walk(parsed))
    prefixes = {str(n.get("prefix") or ""): str(n["iri"]) for n in nodes if n.name == "PrefixDecl"}
    for node in nodes:
        if node.name == "ServiceGraphPattern":
            endpoint = _endpoint(node, prefixes)
            if not _allowed(endpoint, allow_service):
                raise QueryError(f"federated SERVICE call to {endpoint} is not allowed")


def _syntax_error(exc: ParseException) -> str:
    """One line: where the parser stopped, the text there, and what it expected when that
    says more than "a query" (the grammar's top rules name only the query forms)."""
    near = exc.line[max(0, exc.col - 1) : exc.col + 29].strip()
    message = f"SPARQL syntax error at line {exc.lineno}, column {exc.col}"
    if near:
        message += f", near {near!r}"
    expected = str(exc.msg)
    if not any(form in expected for form in (*_FORMS, "Query")):
        message += f": {expected}"
    return message


def _is_update(sparql: str) -> bool:
    from rdflib.plugins.sparql.parser import parseUpdate

    try:
        with _PARSING:
            parseUpdate(sparql)
    except (ParseException, RecursionError, ValueError, TypeError):
        return False
    return True


def _walk(node: object) -> Iterator[CompValue]:
    """Every `CompValue` of a parse tree, depth first (iterative: trees can be deep)."""
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, CompValue):
            yield item
            stack.extend(item.values())
        elif isinstance(item, list | tuple | ParseResults):
            stack.extend(item)


def _variables(node: object) -> Iterator[Variable]:
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, Variable):
            yield item
        elif isinstance(item, CompValue):
            stack.extend(item.values())
        elif isinstance(item, list | tuple | ParseResults):
            stack.extend(item)


def _endpoint(service: CompValue, prefixes: dict[str, str]) -> str:
    term = service.get("term")
    if isinstance(term, Variable):
        return f"?{term}"
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, CompValue) and term.name == "pname":
        prefix, local = str(term.get("prefix") or ""), str(term.get("localname") or "")
        return f"<{prefixes[prefix]}{local}>" if prefix in prefixes else f"{prefix}:{local}"
    return repr(term)


def _allowed(endpoint: str, allow: AllowService) -> bool:
    if allow is True:
        return True
    if allow is False or endpoint.startswith("?") or not endpoint.startswith("<"):
        return False  # a variable or unresolved name could be any host
    return endpoint[1:-1] in allow

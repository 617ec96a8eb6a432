"""The HTML view: a readable part of the graph, positions computed in Python, no isolated
node, search, type filter, legend and sourced tooltips; offline, and article text never
becomes markup (checked in the page source and in a real browser)."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

import kg
from kg.cli import main
from kg.errors import KGError, UsageError
from kg.model import Article
from kg.viz import Selection, render_html, select

from .chromium import Chromium, find_chromium

ARTICLES = [
    Article(
        text="Gunmen killed 10 people at a market in the city of Maiduguri in Nigeria on Monday. "
        "The militant group Boko Haram claimed responsibility for the attack.",
        title="Market attack",
        date=dt.date(2019, 1, 8),
        source_id="market",
        url="https://news.example/market",
    ),
    Article(
        text="Angela Merkel, the Chancellor of Germany, met Emmanuel Macron in Paris on Friday. "
        "The weather in Lyon was fine.",
        title="Leaders meet",
        date=dt.date(2018, 5, 4),
        source_id="leaders",
        url="javascript:alert(1)",
    ),
]
HOSTILE = Article(
    text="Police in the city of Hamburg arrested three members of the </script><script>alert(1)</script> Group "
    'on Tuesday, the <b>ministry</b> said. Officials of <img src=x onerror="alert(2)"> Corp, a firm in Germany, '
    "denied it.",
    title="<img src=x onerror=alert(1)>",
    source="<test>",
    url="https://news.example/<x>",
)


@pytest.fixture(scope="module")
def two() -> kg.KnowledgeGraph:
    return kg.build(ARTICLES, settings=kg.Settings(linker="none"))


def payload(page: str) -> Any:
    data = page.split('<script id="kg-data" type="application/json">', 1)[1].split("</script>", 1)[0]
    return json.loads(data)


def test_page_is_self_contained_and_escapes_article_text() -> None:
    graph = kg.build([HOSTILE])
    page = render_html(graph.store, title="<i>kg</i> test")
    graph.close()
    assert not re.search(r"""<(script|link|img|iframe)[^>]+(src|href)\s*=\s*["']?https?:""", page, re.IGNORECASE)
    assert "vis.Network" in page and "vis-network" in page  # the library is inline
    assert page.count("</script>") == 3  # the library, the data, the page script: nothing from the article
    assert "<b>ministry</b>" not in page and "<img src=x" not in page
    assert "&lt;i&gt;kg&lt;/i&gt; test" in page
    data = page.split('<script id="kg-data" type="application/json">', 1)[1].split("</script>", 1)[0]
    assert "<" not in data and ">" not in data
    assert "<img src=x onerror=alert(1)>" in json.dumps(payload(page), ensure_ascii=False)  # kept, as text


def test_only_web_links(two: kg.KnowledgeGraph) -> None:
    data = payload(render_html(two.store))
    urls = {a["url"] for n in data["nodes"] for a in n["articles"]}
    assert urls == {"https://news.example/market", None}  # the javascript: URL is text, never a link
    assert "javascript:" not in json.dumps([n["articles"] for n in data["nodes"]])


def test_no_isolated_node_and_what_was_left_out_is_said(two: kg.KnowledgeGraph) -> None:
    data = payload(render_html(two.store))
    ids = {n["id"] for n in data["nodes"]}
    linked = {e["from"] for e in data["edges"]} | {e["to"] for e in data["edges"]}
    assert ids == linked
    assert "Lyon" not in {n["fullLabel"] for n in data["nodes"]}  # no fact: never drawn
    assert any("without a fact to show are never drawn" in line for line in data["notes"])
    assert all("x" in n and "y" in n for n in data["nodes"])  # positions from Python
    assert data["options"]["physics"]["enabled"] is False
    few = payload(render_html(two.store, max_nodes=4))
    assert len(few["nodes"]) == 4
    assert any("less central nodes with facts left out" in line for line in few["notes"])
    g = nx.Graph((e["from"], e["to"]) for e in few["edges"])
    assert nx.is_connected(g) and set(g) == {n["id"] for n in few["nodes"]}  # the most central connected part


def test_tooltips_carry_sources_types_and_qids(two: kg.KnowledgeGraph) -> None:
    data = payload(render_html(two.store))
    merkel = next(n for n in data["nodes"] if n["fullLabel"] == "Angela Merkel")
    assert merkel["kgType"] == "Person" and merkel["iri"].startswith("https://kg.example.org/entity/")
    assert merkel["sources"][0]["sentence"].startswith("Angela Merkel, the Chancellor of Germany")
    assert merkel["articles"] == [{"title": "Leaders meet", "date": "2018-05-04", "url": None}]
    nigeria = next(n for n in data["nodes"] if n["fullLabel"] == "Nigeria")
    assert nigeria["qid"] == "Q1033"  # from the package's country table
    edge = next(e for e in data["edges"] if e["label"] == "claimedResponsibilityFor")
    assert edge["sources"][0]["title"] == "Market attack" and edge["sources"][0]["date"] == "2019-01-08"
    legend = {item["type"]: item for item in data["legend"]}
    assert legend["Person"]["color"] != legend["Organization"]["color"]
    assert len({item["color"] for item in data["legend"]}) == len(legend)  # one colour per class


def test_focus_hops_types_confidence_and_dates(two: kg.KnowledgeGraph) -> None:
    def labels(**options: object) -> set[str]:
        view = select(two.store, Selection(**options))  # type: ignore[arg-type]
        return {view.graph.nodes[n]["label"] for n in view.nodes}

    meeting = "Meeting: Angela Merkel → Emmanuel Macron (2018-05-04)"
    assert labels(focus="Emmanuel Macron", hops=1) == {"Emmanuel Macron", meeting}
    assert labels(focus="emmanuel macron", hops=2) == {"Emmanuel Macron", meeting, "Angela Merkel", "Paris"}
    assert "Germany" in labels(focus="emmanuel macron", hops=3)
    assert "Maiduguri" not in labels(focus="Emmanuel Macron", hops=5)
    assert labels(types=frozenset({"Place"})) == {"Nigeria", "Maiduguri", "market"}  # Country and City are Places
    assert "Emmanuel Macron" not in labels(min_confidence=0.68)  # the meeting's target, at 0.65
    assert labels(until=dt.date(2018, 12, 31)) == {
        "Angela Merkel",
        "Chancellor",
        "Emmanuel Macron",
        "Germany",
        "Paris",
        meeting,
    }
    with pytest.raises(KGError, match="no entity called 'Nobody'"):
        select(two.store, Selection(focus="Nobody"))
    with pytest.raises(KGError, match="'Lyon' has no facts to show"):
        select(two.store, Selection(focus="Lyon"))
    with pytest.raises(UsageError, match="unknown type Persn"):
        select(two.store, Selection(types=frozenset({"Persn"})))


def test_same_graph_same_picture(two: kg.KnowledgeGraph) -> None:
    first, second = payload(render_html(two.store)), payload(render_html(two.store))
    assert [(n["x"], n["y"]) for n in first["nodes"]] == [(n["x"], n["y"]) for n in second["nodes"]]


def test_kg_viz_command(two: kg.KnowledgeGraph, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = tmp_path / "kg.oxigraph"
    kg.build(ARTICLES, store=str(store), settings=kg.Settings(linker="none")).close()
    out = tmp_path / "page.html"
    assert main(["viz", str(store), "-o", str(out), "--focus", "Nigeria", "--hops", "1", "--types", "Event,Place"]) == 0
    assert capsys.readouterr().out.startswith(f"wrote {out}: 4 nodes of ")
    data = payload(out.read_text(encoding="utf-8"))
    assert data["focus"] and data["nodes"][data["focus"][0]]["fullLabel"] == "Nigeria"
    with pytest.raises(SystemExit) as bad:
        main(["viz", str(store), "-o", str(out), "--since", "2019-13-01"])
    assert bad.value.code == 2
    assert "not a date (YYYY-MM-DD): '2019-13-01'" in capsys.readouterr().err


needs_browser = pytest.mark.skipif(find_chromium() is None, reason="chromium is not installed (.ci/run installs it)")

PIXELS = """(() => {
  const canvas = document.querySelector('#graph canvas');
  const ctx = canvas.getContext('2d');
  const px = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
  let coloured = 0;
  for (let i = 0; i < px.length; i += 4) {
    const [r, g, b, a] = [px[i], px[i + 1], px[i + 2], px[i + 3]];
    if (a > 200 && Math.max(r, g, b) - Math.min(r, g, b) > 60) coloured++;
  }
  return coloured;
})()"""


@needs_browser
def test_page_draws_in_a_browser_with_no_network(two: kg.KnowledgeGraph, tmp_path: Path) -> None:
    """Headless Chromium, offline, draws the nodes: vis-network ran from the page itself,
    the canvas holds the nodes' colours, and search, filter and tooltips work."""
    page = tmp_path / "page.html"
    page.write_text(render_html(two.store), encoding="utf-8")
    with Chromium() as browser:
        browser.open(page)
        drawn = browser.wait_for("document.documentElement && document.documentElement.dataset.kgDrawn", timeout=60)
        assert int(drawn) > 0
        count = browser.evaluate("Number(document.documentElement.dataset.kgNodes)")
        assert count == len(payload(page.read_text(encoding="utf-8"))["nodes"]) > 5
        assert browser.evaluate(PIXELS) > 500  # coloured dots and diamonds on the canvas
        assert browser.evaluate("kg.search('angela merkel').length") == 2  # her node and the meeting's label
        details = browser.evaluate("document.getElementById('details').textContent")
        assert details.startswith("Angela Merkel") and "Leaders meet" in details  # the exact name first
        assert browser.evaluate("kg.network.getSelectedNodes().length") == 2
        hidden = browser.evaluate("kg.setType('Person', false)")
        assert hidden == 3 and browser.evaluate("kg.search('angela merkel').length") == 1  # the meeting is left
        assert browser.evaluate("document.querySelectorAll('#legend input[type=checkbox]').length") >= 4


@needs_browser
def test_hostile_text_stays_text_in_the_browser(tmp_path: Path) -> None:
    graph = kg.build([HOSTILE])
    page = tmp_path / "page.html"
    page.write_text(render_html(graph.store), encoding="utf-8")
    graph.close()
    with Chromium() as browser:
        browser.open(page)
        browser.wait_for("document.documentElement && document.documentElement.dataset.kgDrawn", timeout=60)
        shown = browser.evaluate(
            "kg.nodes.get().map(n => { kg.describe(document.getElementById('details'), n, 'node', true);"
            " return document.getElementById('details').innerHTML; }).join('\\n')"
        )
        assert "<img" not in shown and "<script" not in shown and "&lt;img" in shown
        assert browser.evaluate("document.querySelectorAll('img, iframe, #details script').length") == 0
        assert browser.evaluate("[...document.querySelectorAll('a')].every(a => /^https?:/.test(a.href))")


@needs_browser
def test_page_draws_with_dump_dom(two: kg.KnowledgeGraph, tmp_path: Path) -> None:
    """The same with Chromium's plain ``--dump-dom``, as a user's script would run it."""
    browser = find_chromium()
    assert browser is not None
    page = tmp_path / "page.html"
    page.write_text(render_html(two.store), encoding="utf-8")
    proc = subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", f"--user-data-dir={tmp_path / 'profile'}",
         "--proxy-server=127.0.0.1:9", "--virtual-time-budget=10000", "--dump-dom", page.as_uri()],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert "<canvas" in proc.stdout, proc.stderr[-2000:]
    assert re.search(r'data-kg-nodes="[1-9]', proc.stdout)
    shutil.rmtree(tmp_path / "profile", ignore_errors=True)

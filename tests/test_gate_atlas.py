"""The atlas on the planner's own tables and boundaries: the examples of silent wrong answers, each now said or refused."""

import json

import geopandas as gpd
import pandas as pd
import pytest
import shapely

import yrdgeo
from yrdgeo import atlas
from yrdgeo.cli import main
from yrdgeo.inputs import InputError

pytestmark = pytest.mark.slow  # builds atlases


@pytest.fixture(scope="module")
def cities():
    return yrdgeo.load_units("city")


def _units_export_plus_gdp(tmp_path, cities):
    """What a planner does: `yrdgeo units --out cities.csv`, add a gdp column in Excel, save (GBK)."""
    export = tmp_path / "export.csv"
    assert main(["units", "--level", "city", "--out", str(export)]) == 0
    df = pd.read_csv(export, dtype=str)
    df["gdp"] = [f"{1000 + 37 * i:,}" for i in range(len(df))]  # yearbook style: 1,000 … 2,480
    df.loc[3, "gdp"] = "—"
    df["anchor_lon"] = "999"  # a user column named like a unit-table column must not be mapped …
    path = tmp_path / "cities_gdp.csv"
    df.drop(columns="geometry").to_csv(path, index=False, encoding="gbk")
    return path, df


def test_units_export_plus_one_column_maps_exactly_that_column(tmp_path, cities):
    path, df = _units_export_plus_gdp(tmp_path, cities)
    with pytest.warns(UserWarning, match="thousands separators"):
        res = atlas.build_atlas(tmp_path / "a", topics=["attributes"], attributes=path, dpi=40, progress=False)
    assert list(res.maps) == ["attributes_01"]  # gdp only: no anchor_lon, kind, pinyin … maps
    back = gpd.read_file(res.gpkg, layer="attributes").set_index("adcode")
    assert back.loc[df.adcode[0], "gdp"] == 1000 and back.loc[df.adcode[40], "gdp"] == 1000 + 37 * 40
    assert pd.isna(back.loc[df.adcode[3], "gdp"])  # '—' read as missing, and said so
    assert back.loc["310100", "anchor_lon"] == pytest.approx(cities.set_index("adcode").anchor_lon["310100"])
    rec = json.loads(res.record.read_text(encoding="utf-8"))
    checks = rec["input_checks"][0]["issues"]
    assert any(i["value"] == "—" and "missing" in i["action"] for i in checks)
    assert any("'anchor_lon'" in i["where"] and "identifier" in i["action"] for i in checks)
    assert rec["topics"]["attributes"]["params"]["encoding"] == "gb18030"
    report = res.report.read_text(encoding="utf-8")
    assert "thousands separators removed" in report and "—" in report


def test_odd_column_names_are_text_in_maps_and_reports(tmp_path, cities):
    vals = [(i * 7919) % 97 + 0.5 for i in range(41)]
    t = pd.DataFrame({"adcode": cities.adcode, "gdp $\\frac$": vals, "[h](https://example.org)": vals})
    path = tmp_path / "odd.csv"
    t.to_csv(path, index=False)
    res = atlas.build_atlas(tmp_path / "a", topics=["attributes"], attributes=path, dpi=40, progress=False)
    assert len(res.maps) == 2  # '$…$' drew as text, not as matplotlib math (which raised)
    html = res.report_html.read_text(encoding="utf-8")
    assert 'href="https://example.org"' not in html  # a column name is never a live link


def test_too_many_columns_are_refused_before_anything_is_written(tmp_path, cities):
    t = pd.DataFrame({"adcode": cities.adcode, **{f"x{i}": [(j * 31 + i) % 17 + 0.5 for j in range(41)]
                                                  for i in range(5)}})
    path = tmp_path / "wide.csv"
    t.to_csv(path, index=False)
    with pytest.raises(InputError, match="5 indicator columns; the atlas maps at most 3"):
        atlas.build_atlas(tmp_path / "a", attributes=path, max_maps=3, progress=False)
    assert not (tmp_path / "a").exists()
    res = atlas.build_atlas(tmp_path / "b", topics=["attributes"], attributes=path, columns=["x1", "x3"],
                            max_maps=3, dpi=40, progress=False)
    assert list(res.maps) == ["attributes_01", "attributes_02"]


def test_bad_boundaries_are_refused_or_repaired_and_reported(tmp_path, cities):
    sh = cities[cities.adcode.isin(["310100", "330100"])][["adcode", "geometry"]].copy()
    # Shanghai drawn near Beijing: refused, nothing written
    moved = sh.assign(geometry=[shapely.affinity.translate(g, -5, 8) if c == "310100" else g
                                for c, g in zip(sh.adcode, sh.geometry)])
    moved.to_file(tmp_path / "moved.gpkg")
    with pytest.raises(InputError, match="310100.*km from the bundled boundary"):
        atlas.build_atlas(tmp_path / "a", topics=["units"], boundaries=tmp_path / "moved.gpkg", progress=False)
    # metres in a GeoJSON without a crs member (GDAL reads it as EPSG:4326)
    gj = tmp_path / "m.geojson"
    gj.write_text(sh.to_crs(3857).to_json(drop_id=True).replace('"crs"', '"_crs"'), encoding="utf-8")
    with pytest.raises(InputError, match="look like metres"):
        atlas.build_atlas(tmp_path / "a", topics=["units"], boundaries=gj, progress=False)
    # points as boundaries
    sh.assign(geometry=sh.representative_point()).to_file(tmp_path / "pts.gpkg")
    with pytest.raises(InputError, match="expected polygon geometries"):
        atlas.build_atlas(tmp_path / "a", topics=["units"], boundaries=tmp_path / "pts.gpkg", progress=False)
    assert not (tmp_path / "a").exists()
    # a Shanghai that touches itself (a bow-tie ring inside): repaired, reported, and its area is right
    ring = sh.set_index("adcode").geometry["330100"]
    x0, y0, x1, y1 = ring.bounds
    bow = shapely.Polygon([(x0, y0), (x1, y1), (x1, y0), (x0, y1)])
    bt = sh.assign(geometry=[bow if c == "330100" else g for c, g in zip(sh.adcode, sh.geometry)])
    bt.to_file(tmp_path / "bow.gpkg")
    with pytest.warns(UserWarning, match="Self-intersection"):
        res = atlas.build_atlas(tmp_path / "b", topics=["units"], boundaries=tmp_path / "bow.gpkg", dpi=40,
                                progress=False)
    rec = json.loads(res.record.read_text(encoding="utf-8"))
    issues = [i for c in rec["input_checks"] for i in c["issues"]]
    assert any(i["kind"] == "repaired" and "330100" in i["where"] for i in issues)
    report = res.report.read_text(encoding="utf-8")  # said in the report a planner reads, not only in the record
    assert "Input check of the boundary file bow.gpkg: 2 item(s)" in report and "invalid geometry repaired" in report
    back = gpd.read_file(res.gpkg, layer="units_city").set_index("adcode")
    assert back.geometry["330100"].is_valid and back.geometry["330100"].area > 0.5 * bow.convex_hull.area / 2
    with pytest.raises(InputError, match="strict"):
        atlas.build_atlas(tmp_path / "c", topics=["units"], boundaries=tmp_path / "bow.gpkg", strict=True,
                          progress=False)
    assert not (tmp_path / "c").exists()


def test_cli_atlas_prints_notes_and_errors_without_traceback(tmp_path, cities, capsys):
    path, _ = _units_export_plus_gdp(tmp_path, cities)
    code = main(["atlas", "--out", str(tmp_path / "a"), "--topics", "attributes", "--attributes", str(path),
                 "--dpi", "40", "--quiet", "--max-maps", "0"])
    err = capsys.readouterr().err
    assert code == 2 and "yrdgeo: error:" in err and "Traceback" not in err
    bad = tmp_path / "bad.csv"
    bad.write_text("adcode,gdp\n3205001,1\n", encoding="utf-8")
    code = main(["atlas", "--out", str(tmp_path / "a"), "--attributes", str(bad), "--quiet"])
    err = capsys.readouterr().err
    assert code == 2 and "3205001" in err and "7 digits" in err and not (tmp_path / "a").exists()


def test_cli_approval_number_is_printed_on_every_map(tmp_path, monkeypatch):
    # yrdgeo atlas --approval-number: the 审图号 reaches each map's page note and the recorded command
    from yrdgeo import maps

    notes: list[str] = []
    real_save = maps.save_map

    def save_and_read(fig, path, **kw):
        notes.extend(t.get_text().replace("\n", "") for t in fig.figure.texts if t.get_text().startswith("数据来源"))
        return real_save(fig, path, **kw)

    monkeypatch.setattr(maps, "save_map", save_and_read)
    code = main(["atlas", "--out", str(tmp_path / "a"), "--topics", "units", "--dpi", "40", "--quiet",
                 "--approval-number", "GS(2024)1234号"])
    assert code == 0 and notes
    assert all("审图号 Approval No.：GS(2024)1234号" in n and maps.DEFAULT_DISCLAIMER in n for n in notes)
    rec = json.loads((tmp_path / "a" / "record.json").read_text(encoding="utf-8"))
    assert rec["command"][-2:] == ["--approval-number", "GS(2024)1234号"]
    page = (tmp_path / "a" / "map.html").read_text(encoding="utf-8")
    assert "审图号 Approval No.：GS(2024)1234号" in page and maps.DEFAULT_DISCLAIMER in page

"""The CLI's foundation subcommands give the library's answers."""

from __future__ import annotations

import subprocess
import sys

import geopandas as gpd
import pandas as pd
import pytest

import yrdgeo
from yrdgeo.cli import main


def test_help_lists_subcommands(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    for cmd in ("units", "resolve", "groups"):
        assert cmd in out


def test_units_export_equals_library(tmp_path):
    out = tmp_path / "cities.gpkg"
    assert main(["units", "--level", "city", "--out", str(out)]) == 0
    back = gpd.read_file(out)
    lib = yrdgeo.load_units("city")
    assert list(back.adcode) == list(lib.adcode)
    assert back.crs.to_epsg() == 4326
    assert back.geometry.geom_equals_exact(lib.geometry, tolerance=1e-9).all()


def test_units_export_csv_and_geojson(tmp_path):
    assert main(["units", "--level", "county", "--province", "上海", "--out", str(tmp_path / "sh.csv")]) == 0
    csv = pd.read_csv(tmp_path / "sh.csv", dtype={"adcode": str})
    assert len(csv) == 16 and csv.adcode.str.startswith("3101").all()
    assert main(["units", "--level", "province", "--out", str(tmp_path / "p.geojson")]) == 0
    assert len(gpd.read_file(tmp_path / "p.geojson")) == 4


def test_existing_output_needs_overwrite(tmp_path, capsys):
    out = tmp_path / "c.gpkg"
    out.write_bytes(b"user data")
    assert main(["units", "--out", str(out)]) == 2
    assert "exists" in capsys.readouterr().err
    assert out.read_bytes() == b"user data"
    assert main(["units", "--out", str(out), "--overwrite"]) == 0
    assert len(gpd.read_file(out)) == 41


def test_bad_extension_writes_nothing(tmp_path, capsys):
    assert main(["units", "--out", str(tmp_path / "c.xlsx")]) == 2
    assert "expected one of" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.slow  # a subprocess importing yrdgeo
def test_resolve_ambiguous_is_an_error_not_a_traceback():
    proc = subprocess.run([sys.executable, "-m", "yrdgeo", "resolve", "Suzhou"], capture_output=True, text=True)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert "苏州市" in proc.stderr and "宿州市" in proc.stderr


def test_resolve_prints_unit(capsys):
    assert main(["resolve", "Songjiang"]) == 0
    out = capsys.readouterr().out
    assert "310117" in out and "松江区" in out


def test_groups_members_as_of(tmp_path, capsys):
    assert main(["groups"]) == 0
    assert "g60_v3" in capsys.readouterr().out
    out = tmp_path / "g60.geojson"
    assert main(["groups", "g60", "--as-of", "2017-12-31", "--out", str(out)]) == 0
    back = gpd.read_file(out)
    assert set(back.adcode) == set(yrdgeo.group_members("g60", as_of="2017-12-31").adcode)

"""The README's main job runs on the bundled data and refuses to clobber a folder."""

from __future__ import annotations

import geopandas as gpd
import pyogrio
import pytest

from yrdgeo.cli import main

pytestmark = pytest.mark.slow  # builds the whole atlas


def test_atlas_writes_layers_and_map(tmp_path):
    out = tmp_path / "atlas"
    assert main(["atlas", "--out", str(out)]) == 0
    layers = {name for name, _ in pyogrio.list_layers(out / "yrd_atlas.gpkg")}
    assert {"units_city", "units_county", "units_province", "region_groups"} <= layers
    assert len(gpd.read_file(out / "yrd_atlas.gpkg", layer="units_city")) == 41
    assert (out / "maps" / "units.png").stat().st_size > 50_000  # the overview map of the full atlas


def test_atlas_refuses_non_empty_folder(tmp_path, capsys):
    out = tmp_path / "atlas"
    out.mkdir()
    (out / "mine.txt").write_text("keep me")
    assert main(["atlas", "--out", str(out)]) == 2
    assert "not empty" in capsys.readouterr().err
    assert [p.name for p in out.iterdir()] == ["mine.txt"]
    assert [p.name for p in tmp_path.iterdir()] == ["atlas"]  # no temporary folder left behind

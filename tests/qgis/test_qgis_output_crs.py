"""Output layers come back in the input layer's CRS (or OUTPUT_CRS); tables are untouched."""

from __future__ import annotations

import geopandas as gpd
import pyogrio
import pytest

# Two PROJ transforms (4549→4326 in QGIS on input, 4326→4549 in pyproj on output) and a GeoPackage
# of doubles between the two outputs: agreement within a millimetre is far below any planning use.
TOLERANCE_M = 1e-3


def _hausdorff_m(a: gpd.GeoDataFrame, b: gpd.GeoDataFrame) -> float:
    """Return the largest Hausdorff distance (map units) between the rows of two frames in one CRS."""
    return float(max(a.geometry.values.hausdorff_distance(b.geometry.values)))


def test_output_follows_input_crs(run_alg, layer_files, tmp_path):
    ref, _ = run_alg("unit_areas", {"INPUT": layer_files[("zj_counties", 4326)], "OUTPUT": str(tmp_path / "a.gpkg")})
    got, _ = run_alg("unit_areas", {"INPUT": layer_files[("zj_counties", 4549)], "OUTPUT": str(tmp_path / "b.gpkg")})
    wgs84, cgcs = gpd.read_file(ref["OUTPUT"]), gpd.read_file(got["OUTPUT"])
    assert wgs84.crs.to_epsg() == 4326
    assert cgcs.crs.to_epsg() == 4549  # not EPSG:4326 any more
    assert list(cgcs.adcode) == list(wgs84.adcode)
    assert _hausdorff_m(cgcs, wgs84.to_crs(4549)) < TOLERANCE_M
    # the analysis itself is unchanged: areas are the library's, whatever the output CRS
    assert (abs(cgcs.area_km2 - wgs84.area_km2) < 1e-9 * wgs84.area_km2).all()


def test_explicit_output_crs_wins(run_alg, layer_files, tmp_path):
    res, _ = run_alg("unit_areas", {"INPUT": layer_files[("zj_counties", 4549)], "OUTPUT_CRS": "EPSG:3857",
                                    "OUTPUT": str(tmp_path / "c.gpkg")})
    out = gpd.read_file(res["OUTPUT"])
    assert out.crs.to_epsg() == 3857
    ref = gpd.read_file(layer_files[("zj_counties", 4326)]).to_crs(3857)
    assert _hausdorff_m(out, ref) < 1.0  # repaired polygons may move a vertex; still the same counties


def test_no_input_layer_gives_wgs84(run_alg, tmp_path):
    res, _ = run_alg("load_units", {"LEVEL": 1, "PROVINCE": "上海", "OUTPUT": str(tmp_path / "sh.gpkg")})
    assert gpd.read_file(res["OUTPUT"]).crs.to_epsg() == 4326
    res, _ = run_alg("load_units", {"LEVEL": 1, "PROVINCE": "上海", "OUTPUT_CRS": "EPSG:4549",
                                    "OUTPUT": str(tmp_path / "sh4549.gpkg")})
    assert gpd.read_file(res["OUTPUT"]).crs.to_epsg() == 4549


def test_tables_are_unaffected(qgis_plugin, run_alg, layer_files, tmp_path):
    from qgis.core import QgsProcessing, QgsProcessingParameterFeatureSink

    algorithms = {a.name(): a for a in qgis_plugin.provider.algorithms()}
    for alg in algorithms.values():
        sinks = [d for d in alg.parameterDefinitions() if isinstance(d, QgsProcessingParameterFeatureSink)]
        layers = [d for d in sinks if d.dataType() != QgsProcessing.TypeVector]
        # every algorithm writing a layer has the parameter, a table-only one has not
        assert (alg.parameterDefinition("OUTPUT_CRS") is not None) == bool(layers), alg.name()
    # a table written beside a layer stays a table when OUTPUT_CRS is set
    res, _ = run_alg("autocorrelation_change", _change_params(layer_files, tmp_path))
    assert gpd.read_file(res["OUTPUT"]).crs.to_epsg() == 3857
    info = pyogrio.read_info(res["TRANSITIONS"])
    assert info["geometry_type"] is None and info["crs"] is None


def _change_params(layer_files, tmp_path):
    """Parameters of autocorrelation_change on two synthetic years of the Jiangsu cities in EPSG:4549."""
    import numpy as np

    frame = gpd.read_file(layer_files[("js_cities", 4549)])
    rng = np.random.default_rng(0)
    frame["v2015"] = rng.normal(size=len(frame))
    frame["v2020"] = frame.v2015 + rng.normal(scale=0.5, size=len(frame))
    path = tmp_path / "years.gpkg"
    frame.to_file(path)
    return {"INPUT": str(path), "BEFORE": "v2015", "AFTER": "v2020", "OUTPUT_CRS": "EPSG:3857",
            "OUTPUT": str(tmp_path / "change.gpkg"), "TRANSITIONS": str(tmp_path / "transitions.gpkg")}


@pytest.mark.parametrize("epsg", [3857, 4549])
def test_memory_output_crs(run_alg, layer_files, epsg):
    res, _ = run_alg("unit_areas", {"INPUT": layer_files[("js_cities", epsg)], "OUTPUT": "memory:"})
    assert res["OUTPUT"].crs().authid() == f"EPSG:{epsg}"  # processing.run hands back the layer

"""The revenue-sharing schedule, region-group membership and weights-sensitivity algorithms give the library's rows."""

from __future__ import annotations

import re
import warnings

import numpy as np
import pandas as pd
import pytest

import yrdgeo
from yrdgeo import autocorrelation, enclaves, regions
from yrdgeo.cli import main
from yrdgeo.units import data_path

SCHEDULE = ["year", "calendar_year", "revenue", "fly_out_share", "fly_in_share", "fly_out_revenue", "fly_in_revenue",
            "fly_out_cumulative", "fly_in_cumulative"]


def _features(layer):
    from yrdgeo_qgis.convert import python_value  # NULL → None

    names = layer.fields().names()
    return pd.DataFrame([dict(zip(names, map(python_value, f.attributes()))) for f in layer.getFeatures()],
                        columns=names)


def _csv_layer(path):
    from qgis.core import QgsVectorLayer

    layer = QgsVectorLayer(f"file://{path}?type=csv&detectTypes=yes", "table", "delimitedtext")
    assert layer.isValid()
    return layer


def _names(message, names):
    """Return True when ``message`` starts by naming exactly the parameters ``names`` (English or Chinese)."""
    return re.match(rf"^(Parameters? |参数 ){re.escape(names)}[:：]", str(message)) is not None


# --------------------------------------------------------------------------- revenue-sharing schedule


def test_revenue_schedule_qgis_equals_library_and_cli(run_alg, tmp_path):
    res, feedback = run_alg("revenue_schedule", {"REVENUE": 80, "YEARS": 7, "START_YEAR": 2020, "OUTPUT": "memory:"})
    got = _features(res["OUTPUT"])
    want = enclaves.revenue_schedule(80.0, schedule="shanghai_district_rule", years=7, start_year=2020)
    out = tmp_path / "schedule.csv"
    assert main(["benefit-schedule", "--revenue", "80", "--years", "7", "--start-year", "2020", "--out",
                 str(out)]) == 0
    cli = pd.read_csv(out)
    assert list(got.columns) == list(want.columns) == list(cli.columns) == SCHEDULE
    np.testing.assert_allclose(got.to_numpy(float), want.to_numpy(float), rtol=1e-12)
    np.testing.assert_allclose(cli.to_numpy(float), want.to_numpy(float), rtol=1e-12)
    assert got.fly_out_share.tolist() == [0.25] * 5 + [0.0] * 2
    assert any("张亚军" in line for line in feedback.infos)  # the preset's source, cited


def test_revenue_schedule_from_a_table_and_own_shares(run_alg, tmp_path):
    path = tmp_path / "revenue.csv"
    pd.DataFrame({"year": [2021, 2022, 2023, 2024], "tax": [10.0, 12.5, 15.0, 20.0]}).to_csv(path, index=False)
    res, _ = run_alg("revenue_schedule", {"TABLE": _csv_layer(path), "REVENUE_FIELD": "tax",
                                          "SHARES": "0.5，0.3、0.2", "AFTER": 0.1, "OUTPUT": "memory:"})
    want = enclaves.revenue_schedule([10.0, 12.5, 15.0, 20.0],
                                     schedule=enclaves.SharingSchedule.from_shares([0.5, 0.3, 0.2], after=0.1))
    got = _features(res["OUTPUT"])
    assert list(got.columns) == list(want.columns)
    np.testing.assert_allclose(got.to_numpy(float), want.to_numpy(float), rtol=1e-12)


@pytest.mark.parametrize(("params", "names", "text"), [
    ({"REVENUE": 80}, "REVENUE, YEARS", "YEARS"),  # one figure needs a number of years
    ({}, "REVENUE, TABLE", "either"),
    ({"REVENUE": 80, "YEARS": 3, "SHARES": "0.3,x"}, "SHARES", "0.3,x"),
    ({"REVENUE": 80, "YEARS": 3, "SHARES": "0.3,1.5"}, "SHARES", "1.5"),  # a share above 1, the library's check
])
def test_revenue_schedule_bad_input_names_the_parameter(run_alg, params, names, text):
    from qgis.core import QgsProcessingException

    with pytest.raises(QgsProcessingException, match=text) as err:
        run_alg("revenue_schedule", {**params, "OUTPUT": "memory:"})
    assert _names(err.value, names), err.value


def test_revenue_schedule_table_needs_its_field_and_numbers(run_alg, tmp_path):
    from qgis.core import QgsProcessingException

    path = tmp_path / "revenue.csv"
    pd.DataFrame({"year": [2021, 2022, 2023], "tax": [10.0, None, 15.0]}).to_csv(path, index=False)
    with pytest.raises(QgsProcessingException, match="REVENUE_FIELD"):
        run_alg("revenue_schedule", {"TABLE": _csv_layer(path), "OUTPUT": "memory:"})
    with pytest.raises(QgsProcessingException, match="year 2") as err:  # a blank year: the library refuses it
        run_alg("revenue_schedule", {"TABLE": _csv_layer(path), "REVENUE_FIELD": "tax", "OUTPUT": "memory:"})
    assert _names(err.value, "TABLE, REVENUE_FIELD"), err.value


# --------------------------------------------------------------------------- region groups over time


def _group_index(ids):
    listed = list(regions.list_groups().group_id)
    return [listed.index(g) for g in ids]


def test_group_options_are_the_library_groups(qgis_plugin):
    alg = next(a for a in qgis_plugin.provider.algorithms() if a.name() == "region_groups")
    assert alg.enum_values()["GROUPS"] == tuple(regions.list_groups().group_id)


def test_every_version_of_the_council_equals_the_library(run_alg):
    council = [g for g in regions.list_groups().group_id if g.startswith("yrd_city_econ_council")]
    res, feedback = run_alg("region_groups", {"GROUPS": _group_index(council), "OUTPUT": "memory:"})
    got = _features(res["OUTPUT"])
    for version in council:
        want = regions.group_members(version)
        rows = got[got.version == version]
        assert rows.adcode.tolist() == want.adcode.tolist()
        assert (rows.group == "yrd_city_econ_council").all() and (rows.membership == "whole").all()
    assert len(got) == sum(len(regions.group_members(v)) for v in council)
    assert not feedback.warnings


def test_as_of_a_date_a_version_stands_for_its_series_and_warnings_reach_the_log(run_alg):
    res, feedback = run_alg("region_groups", {
        "GROUPS": _group_index(["g60_v1", "yrd_city_econ_council_1997", "shanghai_economic_zone"]),
        "AS_OF": "2020", "OUTPUT": "memory:"})
    got = _features(res["OUTPUT"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        want = regions.group_members("g60", as_of="2020")
    assert sorted(set(got.version)) == ["g60_v3", "yrd_city_econ_council_2013"]  # the zone ended in 1988
    assert got[got.version == "g60_v3"].adcode.tolist() == want.adcode.tolist()
    assert any("later rosters are not in the sources" in w for w in feedback.warnings)  # the council's 2013 roster
    assert any("no version in force" in w for w in feedback.warnings)


def test_shaoxing_added_later_and_part_members_are_noted(run_alg):
    groups = _group_index(["shanghai_economic_zone", "wanbei_transfer_zone"])
    res, feedback = run_alg("region_groups", {"GROUPS": groups, "LEVEL": 2, "OUTPUT": "memory:"})
    got = _features(res["OUTPUT"]).set_index("name_zh")
    assert got.at["绍兴市", "joined"] == regions.JOINED_LATER and regions.JOINED_LATER in got.at["绍兴市", "notes"]
    assert got.at["滁州市", "membership"].startswith("part") and got.at["滁州市", "notes"].startswith("part")
    assert got.at["上海市", "notes"] == ""
    res, feedback = run_alg("region_groups", {"GROUPS": _group_index(["shanghai_economic_zone"]),
                                              "AS_OF": "1985-01-01", "OUTPUT": "memory:"})
    assert "330600" not in _features(res["OUTPUT"]).adcode.tolist()  # 绍兴: joined on a date not in the sources
    assert any("后来又增加" in w for w in feedback.warnings)


def test_region_groups_refusals_name_the_parameters(run_alg):
    from qgis.core import QgsProcessingException

    with pytest.raises(QgsProcessingException, match="1970-12-31") as err:
        run_alg("region_groups", {"GROUPS": _group_index(["g60_v2"]), "AS_OF": "1970", "OUTPUT": "memory:"})
    assert _names(err.value, "GROUPS, AS_OF"), err.value
    with pytest.raises(QgsProcessingException, match="next year") as err:
        run_alg("region_groups", {"GROUPS": [0], "AS_OF": "next year", "OUTPUT": "memory:"})
    assert _names(err.value, "AS_OF"), err.value
    with pytest.raises(QgsProcessingException, match="GROUPS"):  # Processing's own check of a required choice
        run_alg("region_groups", {"GROUPS": [], "OUTPUT": "memory:"})


# --------------------------------------------------------------------------- weights sensitivity


@pytest.fixture(scope="module")
def ratio_cities():
    table = pd.read_csv(str(data_path("reference", "resident_registered_ratio.csv")), dtype={"adcode": str})
    return yrdgeo.load_units("city").merge(table[["adcode", "ratio_2019"]], on="adcode")


def _layer_of(frame, tmp_path):
    from qgis.core import QgsVectorLayer

    from yrdgeo.io import write_layers

    path = tmp_path / "units.gpkg"
    write_layers({"units": frame}, path)
    layer = QgsVectorLayer(str(path), "units", "ogr")
    assert layer.isValid()
    return layer


def test_weights_sensitivity_rows_equal_the_library(run_alg, ratio_cities, tmp_path):
    res, feedback = run_alg("weights_sensitivity", {"INPUT": _layer_of(ratio_cities.to_crs(3857), tmp_path),
                                                    "FIELD": "ratio_2019", "PERMUTATIONS": 99, "SEED": 7,
                                                    "OUTPUT": "memory:"})
    got = _features(res["OUTPUT"])
    want = autocorrelation.moran_sensitivity(ratio_cities, "ratio_2019", permutations=99, seed=7)
    assert got.weights.tolist() == want.weights.tolist()
    numbers = ["I", "expected", "z_norm", "p_sim", "n", "islands", "mean_neighbours"]
    np.testing.assert_allclose(got[numbers].to_numpy(float), want[numbers].to_numpy(float), rtol=1e-9)
    assert sum("I = " in line for line in feedback.infos) == len(want)


def test_weights_sensitivity_choices_and_refusals(run_alg, ratio_cities, tmp_path):
    from qgis.core import QgsProcessingException

    layer = _layer_of(ratio_cities, tmp_path)
    methods = list(yrdgeo.weights.METHODS)
    res, _ = run_alg("weights_sensitivity", {
        "INPUT": layer, "FIELD": "ratio_2019", "METHODS": [methods.index("knn"), methods.index("distance_band")],
        "KS": "3,5", "THRESHOLDS_KM": "150,200", "PERMUTATIONS": 9, "OUTPUT": "memory:"})
    assert _features(res["OUTPUT"]).weights.tolist() == ["knn k=3", "knn k=5", "distance_band 150 km",
                                                        "distance_band 200 km"]
    for params, name in (({"KS": "4,x"}, "KS"), ({"KS": "4.5"}, "KS"), ({"THRESHOLDS_KM": "-3"}, "THRESHOLDS_KM")):
        with pytest.raises(QgsProcessingException) as err:
            run_alg("weights_sensitivity", {"INPUT": layer, "FIELD": "ratio_2019", "PERMUTATIONS": 9,
                                            "OUTPUT": "memory:", **params})
        assert _names(err.value, name), err.value
    with pytest.raises(QgsProcessingException, match="METHODS"):  # Processing's own check of a required choice
        run_alg("weights_sensitivity", {"INPUT": layer, "FIELD": "ratio_2019", "METHODS": [], "OUTPUT": "memory:"})
    with pytest.raises(QgsProcessingException, match="no neighbour") as err:  # a band too short, islands refused
        run_alg("weights_sensitivity", {"INPUT": layer, "FIELD": "ratio_2019", "METHODS": [methods.index(
            "distance_band")], "THRESHOLDS_KM": "20", "ISLANDS": 0, "PERMUTATIONS": 9, "OUTPUT": "memory:"})
    assert "ISLANDS" in str(err.value)

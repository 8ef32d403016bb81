"""The gravity-linkage algorithm in QGIS gives the library's numbers on the same table.

Population and GDP below are TEST DATA (round numbers), not statistics: the bundled data has none.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from yrdgeo import linkage


def _features(layer):
    from yrdgeo_qgis.convert import python_value  # NULL → None

    names = layer.fields().names()
    return pd.DataFrame([dict(zip(names, map(python_value, f.attributes()))) for f in layer.getFeatures()])


def _layer(path):
    from qgis.core import QgsVectorLayer

    layer = QgsVectorLayer(f"file://{path}?type=csv&detectTypes=yes", "masses", "delimitedtext")
    assert layer.isValid()
    return layer


@pytest.fixture
def masses(tmp_path):
    table = pd.DataFrame({"城市": ["上海市", "杭州市", "南京市", "合肥市"], "pop": [100.0, 900.0, 400.0, 200.0],
                          "gdp": [100.0, 100.0, 100.0, 50.0]})
    path = tmp_path / "masses.csv"
    table.to_csv(path, index=False)
    return table, _layer(path)


@pytest.mark.parametrize("distance", ["geodesic", "travel_time"])
def test_linkage_matches_library(run_alg, masses, distance):
    table, uri = masses
    params = {"TABLE": uri, "POPULATION": "pop", "GDP": "gdp", "DISTANCE": linkage.DISTANCES.index(distance),
              "B": 1.5, "TOP": 3, "OUTPUT": "memory:", "TOTALS": "memory:", "DESIRE_LINES": "memory:"}
    if distance == "travel_time":
        params["AS_OF"] = "2015-01-01"
    res, feedback = run_alg("gravity_linkage", params)
    want = linkage.gravity_linkage(table, population="pop", gdp="gdp", distance=distance, b=1.5,
                                   date="2015-01-01" if distance == "travel_time" else None)
    got = _features(res["OUTPUT"])
    assert list(zip(got.i, got.j)) == list(zip(want.pairs.i, want.pairs.j))
    np.testing.assert_allclose(got[["D", "R", "F"]].to_numpy(float), want.pairs[["D", "R", "F"]].to_numpy(float),
                               rtol=1e-12)
    assert list(got.status) == list(want.pairs.status)
    totals = _features(res["TOTALS"]).set_index("adcode").loc[want.totals.adcode]
    np.testing.assert_allclose(totals.R_total.astype(float), want.totals.R_total, rtol=1e-12)
    assert res["TOTALS"].geometryType() == 2  # polygons, for a choropleth
    lines = _features(res["DESIRE_LINES"])
    top = want.top_links(3)
    assert list(zip(lines.i, lines.j)) == list(zip(top.i, top.j))
    assert any("gravity linkage" in line for line in feedback.infos)


def test_bad_mass_names_the_parameters(run_alg, tmp_path):
    from qgis.core import QgsProcessingException

    path = tmp_path / "bad.csv"
    pd.DataFrame({"城市": ["上海市", "杭州市"], "pop": [100.0, 0.0], "gdp": [1.0, 2.0]}).to_csv(path, index=False)
    with pytest.raises(QgsProcessingException, match="zero or negative"):
        run_alg("gravity_linkage", {"TABLE": _layer(path), "POPULATION": "pop",
                                    "GDP": "gdp", "OUTPUT": "memory:", "TOTALS": "memory:",
                                    "DESIRE_LINES": "memory:"})


def test_network_date_with_geodesic_distance_is_refused(run_alg, masses):
    from qgis.core import QgsProcessingException

    _, uri = masses
    with pytest.raises(QgsProcessingException, match="AS_OF"):
        run_alg("gravity_linkage", {"TABLE": uri, "POPULATION": "pop", "GDP": "gdp", "AS_OF": "2015",
                                    "OUTPUT": "memory:", "TOTALS": "memory:", "DESIRE_LINES": "memory:"})

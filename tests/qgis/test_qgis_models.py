"""The algorithms work inside a graphical model and in a background task, as the toolbox runs them."""

from __future__ import annotations

import time

import numpy as np

import yrdgeo
from yrdgeo import enclaves


def _child(model, alg_id, child_id, params, outputs):
    """Add a child algorithm with static or chained parameters; ``outputs`` become model outputs."""
    from qgis.core import (
        QgsProcessingModelChildAlgorithm,
        QgsProcessingModelChildParameterSource,
        QgsProcessingModelOutput,
    )

    child = QgsProcessingModelChildAlgorithm(alg_id)
    child.setChildId(child_id)
    for name, source in params.items():
        if not isinstance(source, QgsProcessingModelChildParameterSource):
            source = QgsProcessingModelChildParameterSource.fromStaticValue(source)
        child.addParameterSources(name, [source])
    declared = {}
    for name in outputs:
        out = QgsProcessingModelOutput(name, name)
        out.setChildId(child_id)
        out.setChildOutputName(name)
        declared[name] = out
    child.setModelOutputs(declared)
    assert model.addChildAlgorithm(child) == child_id


def test_model_chains_travel_times_into_enclave_pairs(qgis_plugin, tmp_path):
    """A model: travel_time_matrix → (its CSV) → enclave_pairs; desire lines carry the network minutes.

    The pairs join cities only: the matrix is city to city, and the library refuses ends it has no time for.
    """
    pairs = tmp_path / "pairs.csv"
    pairs.write_text("fly_out,fly_in,kind\n苏州,宿迁,forward\n上海,盐城,forward\n上海,黄山市,forward\n", encoding="utf-8")
    import processing
    from qgis.core import (
        QgsProcessingModelAlgorithm,
        QgsProcessingModelChildParameterSource,
        QgsProcessingModelParameter,
        QgsProcessingParameterFile,
    )

    model = QgsProcessingModelAlgorithm("yrd chain", "yrdgeo tests")
    _child(model, "yrdgeo:travel_time_matrix", "tt", {"AS_OF": "2020-01-01"}, ["OUTPUT"])
    _child(model, "yrdgeo:enclave_pairs", "enc", {
        "TRAVEL_TIME": QgsProcessingModelChildParameterSource.fromChildOutput("tt", "OUTPUT"),
        "PAIRS_FILE": QgsProcessingModelChildParameterSource.fromModelParameter("pairs"),
        "BUNDLED": False, "COOPERATION_ZONES": False}, ["ENDS", "LINES", "NODES"])
    model.addModelParameter(QgsProcessingParameterFile("pairs", "pairs", extension="csv"),
                            QgsProcessingModelParameter("pairs"))
    model.updateDestinationParameters()
    path = tmp_path / "chain.model3"
    assert model.toFile(str(path))

    reloaded = QgsProcessingModelAlgorithm()
    assert reloaded.fromFile(str(path))
    csv, lines = tmp_path / "tt.csv", tmp_path / "lines.gpkg"
    from qgis.core import QgsProcessingFeedback

    class Errors(QgsProcessingFeedback):
        messages = []

        def reportError(self, error, fatalError=False):  # noqa: N802, N803
            self.messages.append(error)

    feedback = Errors()
    try:
        results = processing.run(reloaded, {"pairs": str(pairs), "tt:OUTPUT": str(csv), "enc:LINES": str(lines),
                                            "enc:ENDS": "memory:", "enc:NODES": "memory:"}, feedback=feedback)
    except Exception as exc:
        raise AssertionError(f"{exc}: {feedback.messages}") from None
    import geopandas as gpd

    got = gpd.read_file(results["enc:LINES"]).set_index("pair_id")
    from yrdgeo import accessibility, network

    minutes = accessibility.od_matrix(network.load_yrd_network(as_of="2020-01-01"), yrdgeo.load_units("city")).minutes
    want = enclaves.desire_lines(enclaves.enclave_pairs(str(pairs), bundled=False), travel_time=minutes)
    want = want.set_index("pair_id")
    assert want.travel_time_min.notna().all() and len(want) == 3
    np.testing.assert_allclose(got.loc[want.index, "travel_time_min"].astype(float), want.travel_time_min, rtol=1e-9)


def test_algorithm_runs_as_background_task(qgis_plugin, tmp_path):
    """The toolbox runs algorithms in a QgsProcessingAlgRunnerTask on a worker thread."""
    from qgis.core import (
        QgsApplication,
        QgsProcessingAlgRunnerTask,
        QgsProcessingContext,
        QgsProcessingFeedback,
        QgsProject,
    )

    alg = QgsApplication.processingRegistry().createAlgorithmById("yrdgeo:load_units")
    context = QgsProcessingContext()
    context.setProject(QgsProject.instance())
    feedback = QgsProcessingFeedback()
    out = tmp_path / "zj.gpkg"
    done = {}
    task = QgsProcessingAlgRunnerTask(alg, {"LEVEL": 2, "PROVINCE": "浙江", "OUTPUT": str(out)}, context, feedback)
    task.executed.connect(lambda ok, results: done.update(ok=ok, results=results))
    QgsApplication.taskManager().addTask(task)
    deadline = time.time() + 60
    while "ok" not in done and time.time() < deadline:
        QgsApplication.processEvents()
        time.sleep(0.05)
    assert done.get("ok") is True
    got = gpd_read(out)
    assert list(got.adcode) == list(yrdgeo.load_units("county", province="浙江").adcode)


def gpd_read(path):
    import geopandas as gpd

    return gpd.read_file(path)

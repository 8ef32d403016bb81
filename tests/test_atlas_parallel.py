"""The atlas built by worker processes (jobs=2) is the serial atlas (jobs=1), byte for byte; a topic failing in a
worker fails the build with its name and error, and leaves nothing behind."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from yrdgeo import atlas
from yrdgeo.atlas import build

pytestmark = pytest.mark.slow  # builds the atlas several times

# Two things in the output are dates of the run, not results: the PDFs' CreationDate (matplotlib) and the
# GeoPackage's last_change (GDAL). Both tools take a fixed date from the environment, for reproducible files.
FIXED_DATES = {"SOURCE_DATE_EPOCH": "1577836800", "OGR_CURRENT_DATE": "2020-01-01T00:00:00Z"}
# Run-dependent entries of record.json: when it was written and how long the build took; the folder marker
# (.yrdgeo-output.json) holds its own created_utc and the record's digest, which differs for that reason.
RUN_DEPENDENT = ("created_utc", "seconds_before_record")


@pytest.fixture
def fixed_dates(monkeypatch):
    for key, value in FIXED_DATES.items():
        monkeypatch.setenv(key, value)  # inherited by the worker processes


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _without_run_entries(raw: bytes) -> dict:
    record = {k: v for k, v in json.loads(raw).items() if k not in RUN_DEPENDENT}
    if "files" in record:  # the marker
        record["files"] = {k: v for k, v in record["files"].items() if k != "record.json"}
    return record


def _assert_same_atlas(serial: Path, parallel: Path) -> list[str]:
    """Assert both folders hold the same files with the same bytes; return the names compared."""
    a, b = _files(serial), _files(parallel)
    assert list(a) == list(b)
    for name in a:
        if name in ("record.json", ".yrdgeo-output.json"):
            assert _without_run_entries(a[name]) == _without_run_entries(b[name]), name
        else:
            assert a[name] == b[name], name
    return list(a)


def test_parallel_atlas_is_the_serial_atlas_byte_for_byte(tmp_path, fixed_dates):
    serial = atlas.build_atlas(tmp_path / "serial", dpi=40, progress=False, jobs=1)
    parallel = atlas.build_atlas(tmp_path / "parallel", dpi=40, progress=False, jobs=2)
    compared = _assert_same_atlas(serial.out, parallel.out)
    maps = {f"maps/{key}.{ext}" for key in serial.maps for ext in ("png", "pdf")}
    assert set(compared) == maps | {".yrdgeo-output.json", "map.html", "record.json", "report.html", "report.md",
                                    "yrd_atlas.gpkg"}
    assert len(serial.maps) >= 11 and serial.layers == parallel.layers and serial.maps.keys() == parallel.maps.keys()
    # Every output is listed in the record with its digest, so equal records mean equal outputs too.
    record = json.loads((parallel.out / "record.json").read_text(encoding="utf-8"))
    assert {o["path"] for o in record["outputs"]} == set(compared) - {".yrdgeo-output.json", "record.json"}


def test_spawned_workers_give_the_same_atlas(tmp_path, fixed_dates, monkeypatch):
    # Where fork is missing (macOS, Windows) the workers are spawned: they import the topics and get the context.
    topics = ["units", "inequality", "autocorr"]
    serial = atlas.build_atlas(tmp_path / "serial", topics=topics, dpi=40, progress=False, jobs=1)
    monkeypatch.setattr(build, "_START_METHOD", "spawn")
    parallel = atlas.build_atlas(tmp_path / "parallel", topics=topics, dpi=40, progress=False, jobs=2)
    _assert_same_atlas(serial.out, parallel.out)


def test_topic_failing_in_a_worker_fails_the_build_and_leaves_nothing(tmp_path):
    @atlas.topic("_test_parallel_fails", title="fails", description="raises in a worker", order=999,
                 default=False, cost=100.0)
    def _fails(ctx):
        raise KeyError("no such column 'gdp_2020'") if ctx.dpi == 41 else RuntimeError("boom in the worker")

    try:
        with pytest.raises(RuntimeError, match="atlas topic '_test_parallel_fails' failed: boom in the worker") as err:
            atlas.build_atlas(tmp_path / "a", topics=["groups", "inequality", "_test_parallel_fails"], dpi=40,
                              progress=False, jobs=2)
        # The worker's traceback comes along as the cause.
        assert "_fails" in str(err.value.__cause__) and "boom in the worker" in str(err.value.__cause__)
        assert list(tmp_path.iterdir()) == []  # no atlas, no build folder, no lock
        # An error whose text is not its message keeps its type and gets the topic as a note.
        with pytest.raises(KeyError, match="gdp_2020") as err:
            atlas.build_atlas(tmp_path / "b", topics=["inequality", "_test_parallel_fails"], dpi=41,
                              progress=False, jobs=2)
        assert "in atlas topic '_test_parallel_fails'" in err.value.__notes__
        assert list(tmp_path.iterdir()) == []
    finally:
        atlas.TOPICS.pop("_test_parallel_fails", None)


def test_a_failure_awaits_the_topic_running_in_the_other_worker(tmp_path, tmp_path_factory):
    marker = tmp_path_factory.mktemp("marker") / "slow topic finished"

    @atlas.topic("_test_parallel_slow", title="slow", description="sleeps", default=False, cost=50.0)
    def _slow(ctx):
        time.sleep(2.0)
        marker.write_text("done")
        return atlas.TopicResult()

    @atlas.topic("_test_parallel_fails_soon", title="fails", description="raises", default=False, cost=40.0)
    def _fails_soon(ctx):
        time.sleep(0.3)
        raise RuntimeError("boom")

    try:
        with pytest.raises(RuntimeError, match="'_test_parallel_fails_soon' failed: boom"):
            atlas.build_atlas(tmp_path / "a", topics=["_test_parallel_slow", "_test_parallel_fails_soon"], dpi=40,
                              progress=False, jobs=2)
        assert marker.exists()  # the other worker's topic ran to its end before the build folder was removed
        assert list(tmp_path.iterdir()) == []
    finally:
        atlas.TOPICS.pop("_test_parallel_slow", None)
        atlas.TOPICS.pop("_test_parallel_fails_soon", None)


def test_spawned_worker_refuses_a_topic_it_cannot_import(tmp_path, monkeypatch):
    @atlas.topic("_test_local_topic", title="local", description="defined in a function", default=False)
    def _local(ctx):
        return atlas.TopicResult()

    monkeypatch.setattr(build, "_START_METHOD", "spawn")
    try:
        with pytest.raises(ValueError, match="'_test_local_topic' cannot run in a worker process.*jobs=1"):
            atlas.build_atlas(tmp_path / "a", topics=["inequality", "_test_local_topic"], dpi=40, progress=False,
                              jobs=2)
        assert list(tmp_path.iterdir()) == []
    finally:
        atlas.TOPICS.pop("_test_local_topic", None)


def test_jobs_must_be_a_positive_integer(tmp_path):
    with pytest.raises(ValueError, match="jobs"):
        atlas.build_atlas(tmp_path / "a", topics=["units"], jobs=0, progress=False)
    assert list(tmp_path.iterdir()) == []

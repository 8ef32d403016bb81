"""Output safety: --overwrite never deletes what yrdgeo did not write; locks, stale builds, full disks, file systems.

The file-system tests are real: they mount small tmpfs file systems (the tests
run as root here) and fail, not skip, if that is impossible.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

import yrdgeo
from yrdgeo import atlas, io
from yrdgeo.cli import main

pytestmark = pytest.mark.slow  # builds atlases, fills tmpfs disks, races two runs

NOOP = "_gate_noop"  # a topic with nothing to compute: the cheapest real atlas run
HOOK: list = []  # callables run inside the _gate_noop topic, i.e. while the atlas is being built


@atlas.topic(NOOP, title="no-op", description="test topic: runs the hooks of test_gate_output", order=999,
             default=False)
def _noop(ctx):
    for hook in HOOK:
        hook()
    return atlas.TopicResult()


@pytest.fixture(autouse=True)
def _clear_hooks():
    HOOK.clear()
    yield
    HOOK.clear()


def _build(out, **kw):
    kw.setdefault("topics", [NOOP])
    return atlas.build_atlas(out, dpi=30, progress=False, **kw)


def _tree(folder: Path) -> dict[str, str]:
    """Every file under folder (hidden ones too) with the SHA-256 of its content."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _leftovers(parent: Path) -> list[str]:
    """yrdgeo's temporary folders and lock files in parent."""
    return sorted(p.name for p in parent.iterdir() if ".yrdgeo-" in p.name)


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> Path:
    """A small atlas yrdgeo wrote (copy it to get an earlier output to replace)."""
    out = tmp_path_factory.mktemp("made") / "atlas"
    _build(out)
    return out


def _copy_atlas(made: Path, dest: Path) -> Path:
    shutil.copytree(made, dest)
    return dest


# ----------------------------------------------------------------------------- --overwrite and user files


def test_overwrite_refuses_a_folder_yrdgeo_did_not_write(tmp_path, capsys):
    out = tmp_path / "atlas"
    out.mkdir()
    (out / "mine.csv").write_text("adcode,gdp\n310000,1\n", encoding="utf-8")
    (out / "notes").mkdir()
    (out / "notes" / "todo.txt").write_text("precious")
    before = _tree(out)
    with pytest.raises(FileExistsError, match=r"not empty, and it holds no \.yrdgeo-output\.json.*--overwrite only "
                                              r"replaces a folder yrdgeo wrote or an empty one"):
        _build(out, overwrite=True)
    assert main(["atlas", "--out", str(out), "--overwrite", "--topics", "units", "--quiet"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("yrdgeo: error: output folder")
    assert "--overwrite only replaces a folder yrdgeo wrote" in err and "Traceback" not in err
    assert _tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["atlas"]


def test_overwrite_refuses_an_atlas_holding_a_user_file(tmp_path, made, capsys):
    out = _copy_atlas(made, tmp_path / "atlas")
    (out / "mine.csv").write_text("adcode,gdp\n310000,1\n", encoding="utf-8")
    (out / "maps" / "my_sketch.png").write_bytes(b"\x89PNG not really")
    before = _tree(out)
    with pytest.raises(FileExistsError, match=r"files yrdgeo did not write.*mine\.csv, maps/my_sketch\.png"):
        _build(out, overwrite=True)
    assert _tree(out) == before
    assert main(["atlas", "--out", str(out), "--overwrite", "--topics", NOOP, "--quiet"]) == 2
    assert "yrdgeo: error: " in capsys.readouterr().err
    assert _tree(out) == before and _leftovers(tmp_path) == []


def test_overwrite_refuses_an_atlas_whose_files_were_changed_or_linked(tmp_path, made):
    out = _copy_atlas(made, tmp_path / "atlas")
    (out / "report.md").write_text("my own notes on the report", encoding="utf-8")
    with pytest.raises(FileExistsError, match=r"report\.md \(changed since yrdgeo wrote it\)"):
        io.check_output_folder(out, overwrite=True, kind="atlas")
    assert (out / "report.md").read_text(encoding="utf-8") == "my own notes on the report"
    shutil.rmtree(out)
    out = _copy_atlas(made, tmp_path / "atlas")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "data.csv").write_text("keep")
    (out / "data").symlink_to(tmp_path / "elsewhere")  # a link to the user's data inside the atlas
    with pytest.raises(FileExistsError, match=r"did not write.*data/"):
        io.check_output_folder(out, overwrite=True, kind="atlas")
    (out / "data").unlink()
    (out / "extra").mkdir()  # even an empty folder yrdgeo did not make
    with pytest.raises(FileExistsError, match=r"did not write.*extra/"):
        io.check_output_folder(out, overwrite=True, kind="atlas")
    (out / "extra").rmdir()
    (out / io.MARKER).write_text("{not json", encoding="utf-8")  # a damaged marker is no marker
    with pytest.raises(FileExistsError, match=r"holds no \.yrdgeo-output\.json"):
        io.check_output_folder(out, overwrite=True, kind="atlas")
    assert (tmp_path / "elsewhere" / "data.csv").read_text() == "keep"


@pytest.mark.parametrize("where", ["inside", "nested", "is_out"])
@pytest.mark.parametrize("option", ["attributes", "boundaries"])
def test_a_folder_holding_an_input_is_refused(tmp_path, made, where, option, capsys):
    out = _copy_atlas(made, tmp_path / "atlas")  # even an atlas yrdgeo wrote, with --overwrite
    if where == "inside":
        src = out / "my_table.csv"
    elif where == "nested":
        (out / "inputs").mkdir()
        src = out / "inputs" / "my_table.csv"
    else:
        src = out
    if where != "is_out":
        src.write_text("adcode,gdp\n310000,1\n", encoding="utf-8")
    before = _tree(out)
    with pytest.raises(ValueError, match=r"refusing to write the atlas into .*an input of this run"):
        _build(out, overwrite=True, **{option: src})
    assert main(["atlas", "--out", str(out), "--overwrite", f"--{option}", str(src), "--quiet"]) == 2
    assert "input of this run" in capsys.readouterr().err
    assert _tree(out) == before and _leftovers(tmp_path) == []


def test_overwrite_replaces_an_atlas_yrdgeo_wrote_and_only_its_files(tmp_path, made):
    out = _copy_atlas(made, tmp_path / "atlas")
    old_record = (out / "record.json").read_text(encoding="utf-8")
    res = _build(out, overwrite=True)
    assert res.report.exists() and (out / "record.json").read_text(encoding="utf-8") != old_record
    marker = json.loads((out / io.MARKER).read_text(encoding="utf-8"))
    assert marker["written_by"] == "yrdgeo" and marker["kind"] == "atlas"
    assert set(marker["files"]) == set(_tree(out)) - {io.MARKER}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["atlas"]  # no old/temporary folder, no lock file


def test_an_empty_folder_is_used_and_the_current_folder_never(tmp_path, monkeypatch):
    out = tmp_path / "empty"
    out.mkdir()
    assert _build(out).record.exists()
    monkeypatch.chdir(out)
    with pytest.raises(ValueError, match="refusing to replace .*current folder"):
        _build(".", overwrite=True)
    assert (out / "record.json").exists()


# ----------------------------------------------------------------------------- concurrent runs and the lock


_RUN = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from yrdgeo.cli import main
    go = Path(sys.argv[1])
    while not go.exists():  # start both builds together
        time.sleep(0.01)
    sys.exit(main(sys.argv[2:]))
""")


def test_two_concurrent_runs_into_one_folder(tmp_path):
    out = tmp_path / "atlas"
    go = tmp_path / "go"
    args = ["atlas", "--out", str(out), "--topics", "units", "--dpi", "30", "--quiet"]
    procs = [subprocess.Popen([sys.executable, "-c", _RUN, str(go), *args], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(2)]
    time.sleep(1)
    go.touch()
    done = [(p.wait(timeout=600), *p.communicate()) for p in procs]
    codes = sorted(code for code, _, _ in done)
    assert codes == [0, 2], done
    (_, _, err), = [d for d in done if d[0] == 2]
    assert err.startswith("yrdgeo: error: ") and "Traceback" not in err, err
    assert ("another yrdgeo run" in err) or ("appeared while the atlas was being built" in err) or (
        "exists and is not empty" in err), err
    # The winner's atlas is complete: every file listed in its marker, unchanged.
    assert io._foreign_entries(out) == []
    assert len(gpd.read_file(out / "yrd_atlas.gpkg", layer="units_city")) == 41
    go.unlink()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["atlas"]


_HOLD = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from yrdgeo import io
    out, ready, release = (Path(a) for a in sys.argv[1:4])
    with io.output_folder(out, overwrite=True, kind="atlas") as build:
        (build / "theirs.txt").write_text("written by the first run")
        ready.touch()
        while not release.exists():
            time.sleep(0.02)
""")


def test_a_run_into_a_folder_another_run_is_writing_fails_clearly(tmp_path, made, capsys):
    out = _copy_atlas(made, tmp_path / "atlas")
    before = _tree(out)
    ready, release = tmp_path / "ready", tmp_path / "release"
    holder = subprocess.Popen([sys.executable, "-c", _HOLD, str(out), str(ready), str(release)],
                              stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 300
        while not ready.exists():
            assert holder.poll() is None, holder.stderr.read()
            assert time.monotonic() < deadline
            time.sleep(0.05)
        with pytest.raises(io.OutputError, match=rf"another yrdgeo run \(process {holder.pid}\) is writing"):
            _build(out, overwrite=True)
        with pytest.raises(io.OutputError, match="another yrdgeo run"):  # the lock itself, not only the check
            with io.output_folder(out, overwrite=True, kind="atlas"):
                pass
        assert main(["atlas", "--out", str(out), "--overwrite", "--topics", NOOP, "--quiet"]) == 2
        assert "yrdgeo: error: another yrdgeo run" in capsys.readouterr().err
        assert _tree(out) == before
    finally:
        release.touch()
        code = holder.wait(timeout=300)
    # The first run finishes as if alone: its folder replaces the earlier atlas, nothing else is lost.
    assert code == 0, holder.stderr.read()
    assert set(_tree(out)) == {"theirs.txt", io.MARKER} and io._foreign_entries(out) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["atlas", "ready", "release"]


def test_a_folder_appearing_during_the_build_is_never_replaced(tmp_path, made):
    out = tmp_path / "atlas"

    def user_makes_folder():
        out.mkdir()
        (out / "mine.txt").write_text("made while yrdgeo was building")

    HOOK.append(user_makes_folder)
    with pytest.raises(FileExistsError, match="appeared while the atlas was being built"):
        _build(out)
    assert _tree(out) == {"mine.txt": hashlib.sha256(b"made while yrdgeo was building").hexdigest()}
    assert _leftovers(tmp_path) == []
    shutil.rmtree(out)
    with pytest.raises(FileExistsError, match=r"appeared while the atlas was being built.*holds no \.yrdgeo-output"):
        _build(out, overwrite=True)  # not even with --overwrite: yrdgeo did not write it
    assert (out / "mine.txt").exists() and _leftovers(tmp_path) == []
    shutil.rmtree(out)
    HOOK[:] = [lambda: _copy_atlas(made, out)]  # an atlas from another run, without --overwrite
    with pytest.raises(FileExistsError, match="appeared while the atlas was being built"):
        _build(out)
    assert _tree(out) == _tree(made) and _leftovers(tmp_path) == []
    shutil.rmtree(out)
    HOOK[:] = [out.mkdir]  # an empty folder is simply used
    assert _build(out).record.exists()


def test_a_lock_file_yrdgeo_did_not_write_is_kept(tmp_path):
    out = tmp_path / "atlas"
    lock = tmp_path / ".atlas.yrdgeo-lock"
    lock.write_text("someone else's file")
    with pytest.raises(FileExistsError, match="yrdgeo did not write it"):
        with io.output_folder(out, kind="atlas"):
            pass
    assert lock.read_text() == "someone else's file" and not out.exists()
    lock.unlink()
    (tmp_path / "precious.txt").write_text("keep")
    lock.symlink_to(tmp_path / "precious.txt")  # never written through
    with pytest.raises(FileExistsError, match="symbolic link yrdgeo did not make"):
        with io.output_folder(out, kind="atlas"):
            pass
    assert (tmp_path / "precious.txt").read_text() == "keep" and lock.is_symlink() and not out.exists()


# ----------------------------------------------------------------------------- temporary folders


_KILLED = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from yrdgeo import atlas
    out, ready = Path(sys.argv[1]), Path(sys.argv[2])

    @atlas.topic("_hang", title="hang", description="waits to be killed", default=False)
    def _hang(ctx):
        ready.touch()
        time.sleep(600)

    atlas.build_atlas(out, topics=["_hang"], progress=False)
""")


def test_temporary_folders_of_killed_runs_are_cleaned_and_nothing_else(tmp_path):
    out = tmp_path / "atlas"
    ready = tmp_path / "ready"
    proc = subprocess.Popen([sys.executable, "-c", _KILLED, str(out), str(ready)], stderr=subprocess.PIPE)
    deadline = time.monotonic() + 300
    while not ready.exists():
        assert proc.poll() is None, proc.stderr.read()
        assert time.monotonic() < deadline
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    stale = [p for p in tmp_path.iterdir() if p.name.startswith(".atlas.yrdgeo-tmp-")]
    assert len(stale) == 1 and (stale[0] / io.BUILD_RECORD).exists() and (stale[0] / "build" / "maps").is_dir()
    assert json.loads((stale[0] / io.BUILD_RECORD).read_text())["pid"] == proc.pid
    # Look-alikes that must survive: no process record, a live process, another target, another name.
    no_record = tmp_path / ".atlas.yrdgeo-tmp-abcd1234"
    no_record.mkdir()
    (no_record / "user.txt").write_text("mine")
    live = tmp_path / ".atlas.yrdgeo-tmp-live5678"
    live.mkdir()
    (live / io.BUILD_RECORD).write_text(json.dumps(
        {"written_by": "yrdgeo", "pid": os.getpid(), "host": socket.gethostname()}))
    other = tmp_path / ".other.yrdgeo-tmp-zzzz9999"
    shutil.copytree(stale[0], other)
    odd = tmp_path / "atlas-backup"
    shutil.copytree(stale[0], odd)
    keep = {p.name: _tree(p) for p in (no_record, live, other, odd)}

    assert _build(out).record.exists()
    assert not stale[0].exists()
    assert {p.name: _tree(p) for p in (no_record, live, other, odd)} == keep
    assert not (tmp_path / ".atlas.yrdgeo-lock").exists()  # the killed run's lock file is gone too


def test_build_folder_lives_beside_the_target(tmp_path):
    out = tmp_path / "atlas"
    seen = []
    HOOK.append(lambda: seen.extend(p for p in tmp_path.iterdir() if p.name.startswith(".atlas.yrdgeo-tmp-")))
    _build(out)
    assert len(seen) == 1 and seen[0].parent == tmp_path
    assert os.stat(tmp_path).st_dev == os.stat(out).st_dev
    assert not seen[0].exists()


# ----------------------------------------------------------------------------- symbolic links, file systems


def test_out_that_is_a_symlink_writes_into_its_target(tmp_path, made):
    real = _copy_atlas(made, tmp_path / "real_atlas")
    link = tmp_path / "atlas"
    link.symlink_to(real, target_is_directory=True)
    res = _build(link, overwrite=True)
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert (real / "record.json").exists() and res.record.exists() and io._foreign_entries(real) == []
    assert _tree(real) != _tree(made)
    dangling = tmp_path / "dangling"
    dangling.symlink_to(tmp_path / "nowhere")
    with pytest.raises(FileNotFoundError, match="symbolic link to .*nowhere, which does not exist"):
        _build(dangling)
    assert dangling.is_symlink() and not (tmp_path / "nowhere").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["atlas", "dangling", "real_atlas"]


def test_out_on_another_file_system(tmp_path, made, tmpfs):
    with tmpfs(tmp_path / "disk", "64m") as disk:
        assert os.stat(disk).st_dev != os.stat(tmp_path).st_dev
        # --out whose parent is another file system, built and then replaced there
        out = disk / "atlas"
        assert _build(out).record.exists()
        first = _tree(out)
        assert _build(out, overwrite=True).record.exists() and _tree(out) != first
        assert sorted(p.name for p in disk.iterdir()) == ["atlas"]
        # a symlink here to a folder on the other file system (the old cause of EXDEV)
        target = _copy_atlas(made, disk / "target")
        link = tmp_path / "link"
        link.symlink_to(target)
        assert main(["atlas", "--out", str(link), "--overwrite", "--topics", NOOP, "--dpi", "30", "--quiet"]) == 0
        assert link.is_symlink() and io._foreign_entries(target) == [] and _tree(target) != _tree(made)
        assert sorted(p.name for p in disk.iterdir()) == ["atlas", "target"]
        # --out that is the mount point itself cannot be renamed over: refused before any work
        with pytest.raises(ValueError, match="is a mount point"):
            _build(disk, overwrite=True)
        assert sorted(p.name for p in disk.iterdir()) == ["atlas", "target"]
        # single files onto the other file system
        cities = yrdgeo.load_units("city")
        io.write_layers({"cities": cities}, link / "cities.gpkg")
        assert len(gpd.read_file(target / "cities.gpkg")) == 41


def test_exchange_fallback_keeps_the_same_promises(tmp_path, made, monkeypatch):
    # Where no atomic exchange exists (not Linux), the replacement takes two renames.
    monkeypatch.setattr(io, "_exchange", lambda a, b: False)
    out = _copy_atlas(made, tmp_path / "atlas")
    assert _build(out, overwrite=True).record.exists() and io._foreign_entries(out) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["atlas"]
    # A run killed between the two renames left the earlier atlas in its build folder: put back.
    wrapper = tmp_path / ".atlas.yrdgeo-tmp-dead0000"
    wrapper.mkdir()
    os.rename(out, wrapper / "old")
    (wrapper / io.BUILD_RECORD).write_text(json.dumps({"written_by": "yrdgeo", "pid": _dead_pid(),
                                                       "host": socket.gethostname()}))
    saved = _tree(wrapper / "old")
    assert io.clean_stale(out) == [wrapper]
    assert _tree(out) == saved and not wrapper.exists()


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


# ----------------------------------------------------------------------------- full disk


def test_full_disk_while_building_the_atlas(tmp_path, capsys, tmpfs):
    with tmpfs(tmp_path / "small", "2m") as disk:
        out = disk / "atlas"
        with pytest.raises(io.OutputError, match=r"cannot write the atlas .*atlas: disk full") as info:
            _build(out, topics=["units"])  # its GeoPackage alone is 10 MB
        assert isinstance(info.value, OSError) and info.value.errno == errno.ENOSPC
        assert list(disk.iterdir()) == []
        assert main(["atlas", "--out", str(out), "--topics", "units", "--dpi", "30", "--quiet"]) == 2
        err = capsys.readouterr().err
        assert err.startswith("yrdgeo: error: cannot write the atlas") and "disk full" in err
        assert "Traceback" not in err and list(disk.iterdir()) == []
        # An earlier atlas there stays as it was, and so does the user's file filling the disk.
        _build(out)
        old = _tree(out)
        filler = disk / "filler.bin"
        with open(filler, "wb") as fh:
            try:
                while True:
                    fh.write(b"\0" * 65536)
            except OSError as exc:
                assert exc.errno == errno.ENOSPC
        filled = hashlib.sha256(filler.read_bytes()).hexdigest()
        with pytest.raises(io.OutputError, match=r"disk full.*the existing .*atlas is unchanged"):
            _build(out, overwrite=True)
        assert _tree(out) == old and hashlib.sha256(filler.read_bytes()).hexdigest() == filled
        assert sorted(p.name for p in disk.iterdir()) == ["atlas", "filler.bin"]


@pytest.mark.parametrize("name", ["c.gpkg", "c.geojson", "c.csv", "c.shp"])
def test_full_disk_while_writing_one_file(tmp_path, name, capsys, tmpfs):
    counties = yrdgeo.load_units("county")
    with tmpfs(tmp_path / "small", "2m") as disk:
        # the layer is named as `yrdgeo units` names it, so that the CLI below may replace the file
        with pytest.raises(io.OutputError, match=rf"cannot write .*{name}: disk full") as info:
            io.write_layers({"units_county": counties}, disk / name)
        assert info.value.errno == errno.ENOSPC and list(disk.iterdir()) == []
        # overwrite=True: the existing file stays as it was when the new one does not fit
        small = counties.head(3)
        io.write_layers({"units_county": small}, disk / name)
        before = _tree(disk)
        with pytest.raises(io.OutputError, match="disk full.*existing .* is unchanged"):
            io.write_layers({"units_county": counties}, disk / name, overwrite=True)
        assert _tree(disk) == before
        assert main(["units", "--level", "county", "--out", str(disk / name), "--overwrite"]) == 2
        err = capsys.readouterr().err
        assert "yrdgeo: error: cannot write" in err and "disk full" in err and "Traceback" not in err
        assert _tree(disk) == before


# ----------------------------------------------------------------------------- single files


def test_single_file_replaced_only_with_overwrite(tmp_path):
    frame = pd.DataFrame({"adcode": ["310000"], "gdp": [1.0]})
    path = tmp_path / "t.csv"
    path.write_text("user's table", encoding="utf-8")
    with pytest.raises(FileExistsError, match="exists; pass overwrite=True"):
        io.write_layers({"t": frame}, path, overwrite=False)
    assert path.read_text(encoding="utf-8") == "user's table"
    # A file appearing while the new one is written is not replaced without overwrite.
    fresh = tmp_path / "fresh.csv"
    with pytest.raises(FileExistsError, match="appeared while it was being written"):
        with io.atomic_path(fresh, overwrite=False) as tmp:
            frame.to_csv(tmp, index=False)
            fresh.write_text("someone else's", encoding="utf-8")
    assert fresh.read_text(encoding="utf-8") == "someone else's"
    # An input of the run is never the output.
    with pytest.raises(ValueError, match="is an input of this run"):
        io.write_layers({"t": frame}, path, overwrite=True, inputs=[path])
    assert path.read_text(encoding="utf-8") == "user's table"
    io.write_layers({"t": frame}, path, overwrite=True)
    assert pd.read_csv(path, dtype={"adcode": str}).equals(frame)
    # A symlink to a file: the file it points to is replaced, the link stays.
    link = tmp_path / "link.csv"
    link.symlink_to(path)
    io.write_layers({"t": frame.assign(gdp=2.0)}, link, overwrite=True)
    assert link.is_symlink() and pd.read_csv(path)["gdp"].tolist() == [2.0]
    (tmp_path / "folder.csv").mkdir()
    with pytest.raises(ValueError, match="is a folder; expected a file name"):
        io.write_layers({"t": frame}, tmp_path / "folder.csv", overwrite=True)
    assert _leftovers(tmp_path) == []


def test_shapefile_keeps_its_side_files(tmp_path):
    cities = yrdgeo.load_units("city")[["adcode", "name_zh", "geometry"]]
    path = io.write_layers({"c": cities}, tmp_path / "cities.shp")
    assert {p.suffix for p in tmp_path.iterdir()} >= {".shp", ".shx", ".dbf", ".prj"}
    back = gpd.read_file(path)
    assert back["adcode"].tolist() == cities["adcode"].tolist() and back.crs == cities.crs
    with pytest.raises(FileExistsError):
        io.write_layers({"c": cities}, tmp_path / "cities.shp", overwrite=False)
    assert _leftovers(tmp_path) == []


def test_stale_single_file_temporaries_are_cleaned(tmp_path):
    stale = tmp_path / ".t.csv.yrdgeo-tmp-q1w2e3r4"
    stale.mkdir()
    (stale / "t.csv").write_text("half")
    (stale / io.BUILD_RECORD).write_text(json.dumps({"written_by": "yrdgeo", "pid": _dead_pid(),
                                                     "host": socket.gethostname()}))
    io.write_layers({"t": pd.DataFrame({"a": [1]})}, tmp_path / "t.csv")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.csv"]

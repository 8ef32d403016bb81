"""The command line never ends in a traceback: each bad input gives one ``yrdgeo: error:`` message, exit 2, no output.

Bad inputs are generated here (a real GeoPackage cut short, a GBK CSV, a point layer, a folder where a file
belongs, an output folder the kernel refuses to write into). Each failing case asserts exit code 2, the
``yrdgeo: error:`` prefix, a message naming the problem, no traceback, and an output folder left as it was.
"""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import yrdgeo
from yrdgeo.cli import error_message, main, os_message
from yrdgeo.units import data_path

RATIO = data_path("reference", "resident_registered_ratio.csv")
SEED_LINE = "seed 20191201 (pass --seed to change)"


@pytest.fixture(scope="module")
def d(tmp_path_factory) -> dict[str, Path]:
    """Return the bad (and a few good) input files, generated once."""
    root = tmp_path_factory.mktemp("inputs")
    cities = yrdgeo.load_units("city")
    ratio = pd.read_csv(RATIO, dtype={"adcode": str})
    units = cities.merge(ratio[["adcode", "ratio_2011", "ratio_2019"]], on="adcode")
    f = {name: root / name for name in (
        "u.gpkg", "trunc.gpkg", "empty.gpkg", "notvector.gpkg", "points.gpkg", "two.gpkg", "web.geojson",
        "ratio.csv", "gbk.csv", "header.csv", "empty.csv", "label.csv", "abc.csv", "anchor.csv", "badcode.csv",
        "county.csv", "dup.csv", "broken.xlsx", "tt_gbk.csv")}
    units.to_file(f["u.gpkg"], layer="units")
    data = f["u.gpkg"].read_bytes()
    f["trunc.gpkg"].write_bytes(data[: len(data) // 3])  # a copy interrupted mid-way
    f["empty.gpkg"].write_bytes(b"")
    f["notvector.gpkg"].write_text("this is not a GeoPackage\n", encoding="utf-8")
    pts = units.copy()
    pts["geometry"] = units.representative_point()
    pts.to_file(f["points.gpkg"], layer="points")
    units.to_file(f["two.gpkg"], layer="units")
    pts.to_file(f["two.gpkg"], layer="points", mode="a")
    web = json.loads(units.to_crs(3857).to_json())
    web.pop("crs", None)  # metres without a crs member: GDAL reads it as EPSG:4326
    f["web.geojson"].write_text(json.dumps(web), encoding="utf-8")
    f["folder"] = root / "folder.gpkg"
    f["folder"].mkdir()
    ratio.to_csv(f["ratio.csv"], index=False, encoding="utf-8")
    ratio.to_csv(f["gbk.csv"], index=False, encoding="gbk")
    f["header.csv"].write_text("adcode,ratio_2019\n", encoding="utf-8")
    f["empty.csv"].write_bytes(b"")
    ratio.assign(label="x").to_csv(f["label.csv"], index=False)
    abc = ratio.astype({"ratio_2019": str})
    abc.loc[3, "ratio_2019"] = "abc"  # 徐州市
    abc.to_csv(f["abc.csv"], index=False)
    ratio.assign(anchor_lon=1.0).to_csv(f["anchor.csv"], index=False)
    ratio.assign(adcode=ratio.adcode.where(ratio.index != 5, "3205001")).to_csv(f["badcode.csv"], index=False)
    counties = yrdgeo.load_units("county")
    rng = np.random.default_rng(11)
    pd.DataFrame({"adcode": counties.adcode, "v": rng.normal(size=len(counties))}).to_csv(f["county.csv"], index=False)
    pd.concat([ratio, ratio.iloc[:1]]).to_csv(f["dup.csv"], index=False)
    f["broken.xlsx"].write_bytes(b"PK\x03\x04 not really a workbook")
    f["tt_gbk.csv"].write_bytes("from_adcode,to_adcode,minutes,备注\n310100,320100,90,高铁\n".encode("gbk"))
    return f


def _fails(argv: list[str], capsys, out_dir: Path, *expect: str) -> str:
    """Run the CLI in-process; assert exit 2, one clean message containing ``expect``, ``out_dir`` unchanged."""
    before = sorted(p.name for p in out_dir.iterdir())
    rc = main([str(a) for a in argv])
    err = capsys.readouterr().err
    assert rc == 2, err
    assert "yrdgeo: error:" in err
    assert "Traceback" not in err
    for text in expect:
        assert text in err, (text, err)
    assert sorted(p.name for p in out_dir.iterdir()) == before  # nothing written, no temporary left
    return err


# ----------------------------------------------------------------------------- autocorrelation commands


@pytest.mark.parametrize(("case", "expect"), [
    ("missing", "no such file"),
    ("empty.gpkg", "is empty (0 bytes)"),
    ("trunc.gpkg", "damaged"),
    ("notvector.gpkg", "not a file GDAL can read"),
    ("folder", "folder"),
    ("points.gpkg", "expected polygon"),
    ("two.gpkg", "2 layers"),
    ("web.geojson", "metres"),
])
def test_lisa_bad_boundaries(d, tmp_path, capsys, case, expect):
    path = tmp_path / "missing.gpkg" if case == "missing" else d[case]
    err = _fails(["lisa", "--boundaries", path, "--column", "ratio_2019", "--out", tmp_path / "l.gpkg"], capsys,
                 tmp_path, "--boundaries", expect)
    assert Path(path).name in err


def test_lisa_bad_layer_lists_the_layers(d, tmp_path, capsys):
    _fails(["lisa", "--boundaries", d["two.gpkg"], "--layer", "nope", "--column", "ratio_2019"], capsys, tmp_path,
           "no layer 'nope'", "points", "units")


def test_layer_without_boundaries(tmp_path, capsys):
    _fails(["lisa", "--layer", "units", "--column", "ratio_2019"], capsys, tmp_path, "pass --boundaries")


@pytest.mark.parametrize(("case", "argv", "expect"), [
    ("missing", [], "no such file"),
    ("empty.csv", [], "is empty (0 bytes)"),
    ("header.csv", [], "header.csv"),
    ("folder", [], "is a folder"),
    ("gbk.csv", ["--encoding", "utf-8"], "utf-8"),
    ("label.csv", ["--column", "label"], "'label'"),
    ("abc.csv", ["--strict"], "strict"),
    ("ratio.csv", ["--column", "nope"], "nope"),
    ("anchor.csv", ["--column", "anchor_lon"], "both in --attributes"),
    ("badcode.csv", [], "3205001"),
    ("broken.xlsx", [], "broken.xlsx"),
])
def test_moran_bad_attributes(d, tmp_path, capsys, case, argv, expect):
    path = tmp_path / "missing.csv" if case == "missing" else d[case]
    args = ["moran", "--attributes", path, *argv, "--out", tmp_path / "m.json"]
    if "--column" not in argv:
        args += ["--column", "ratio_2019"]
    _fails(args, capsys, tmp_path, "--attributes", expect)


def test_moran_change_missing_column(d, tmp_path, capsys):
    _fails(["moran-change", "--attributes", d["ratio.csv"], "--before", "ratio_2011", "--after", "ratio_2099",
            "--out", tmp_path / "c.gpkg"], capsys, tmp_path, "ratio_2099")


@pytest.mark.parametrize(("out", "expect"), [
    ("nofolder/l.gpkg", "does not exist"),
    ("dir.gpkg", "is a folder"),
    ("l.xlsx", "expected one of"),
])
def test_lisa_bad_out(d, tmp_path, capsys, out, expect):
    (tmp_path / "dir.gpkg").mkdir()
    _fails(["lisa", "--attributes", d["ratio.csv"], "--column", "ratio_2019", "--out", tmp_path / out], capsys,
           tmp_path, "--out", expect)


def test_unwritable_out_folder(d, capsys):
    # /sys refuses new files even to root (os.access would say yes there): the write probe finds it first.
    err = _fails(["lisa", "--attributes", d["ratio.csv"], "--column", "ratio_2019", "--out", "/sys/yrdgeo-l.gpkg"],
                 capsys, Path("/sys"), "cannot write into the output folder /sys")
    assert "seed" not in err


def test_lisa_second_output_unwritable_writes_neither(d, tmp_path, capsys):
    _fails(["lisa", "--attributes", d["ratio.csv"], "--column", "ratio_2019", "--out", tmp_path / "l.gpkg",
            "--map", tmp_path / "nofolder" / "m.png"], capsys, tmp_path, "--map")


def test_out_that_is_an_input_is_refused_even_with_overwrite(d, tmp_path, capsys):
    src = tmp_path / "ratio.csv"
    src.write_bytes(d["ratio.csv"].read_bytes())
    _fails(["lisa", "--attributes", src, "--column", "ratio_2019", "--out", src, "--overwrite"], capsys, tmp_path,
           "is an input of this run")
    assert src.read_bytes() == d["ratio.csv"].read_bytes()


def test_weights_out_must_be_csv(tmp_path, capsys):
    _fails(["weights", "--out", tmp_path / "nb.gpkg"], capsys, tmp_path, "--out", ".csv")


def test_no_command_is_an_error(capsys):
    assert main([]) == 2
    err = capsys.readouterr().err
    assert "yrdgeo: error: no command given" in err


def test_option_error_is_a_yrdgeo_error(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["lisa", "--permutations", "many"])
    err = capsys.readouterr().err
    assert exit_.value.code == 2
    assert "yrdgeo: error: lisa: " in err and "Traceback" not in err


# ----------------------------------------------------------------------------- ranking commands


def test_rank_bad_inputs(d, tmp_path, capsys):
    out = tmp_path / "r.gpkg"
    base = ["rank", "--fly-out", "上海", "--criterion", "distance_km:cost", "--out", out]
    _fails([*base, "--table", tmp_path / "none.csv"], capsys, tmp_path, "--table", "no such file")
    _fails([*base, "--table", d["county.csv"]], capsys, tmp_path, "--table", "city")  # county table, city ranking
    _fails([*base, "--lines", d["points.gpkg"]], capsys, tmp_path, "--lines", "expected line")
    _fails([*base, "--raster", tmp_path / "dem.tif"], capsys, tmp_path, "--raster", "no such file")
    _fails([*base, "--explain", tmp_path / "nofolder" / "e.csv"], capsys, tmp_path, "--explain", "does not exist")


def test_entropy_index_reads_gbk_and_refuses_a_wrong_encoding(d, tmp_path, capsys):
    out = tmp_path / "e.csv"
    argv = ["entropy-index", "--table", d["gbk.csv"], "--criterion", "ratio_2011", "--criterion", "ratio_2019",
            "--out", out]
    _fails(argv + ["--encoding", "utf-8"], capsys, tmp_path, "--table", "utf-8")
    assert main([str(a) for a in argv]) == 0  # GBK detected
    assert len(pd.read_csv(out)) == 41


def test_structure_and_rings_bad_inputs(d, tmp_path, capsys):
    _fails(["structure", "--table", d["dup.csv"], "--out", tmp_path / "s.csv"], capsys, tmp_path, "--table", "310100")
    _fails(["structure", "--table", d["ratio.csv"], "--out", tmp_path / "s.gpkg", "--lines", tmp_path / "s.gpkg"],
           capsys, tmp_path, "same file")
    _fails(["rings", "--centre", "上海", "--breaks", "100,200", "--by", "tt", "--out", tmp_path / "r.gpkg"], capsys,
           tmp_path, "needs --table")


# ----------------------------------------------------------------------------- corridors and enclaves


def test_corridor_and_enclaves_bad_inputs(d, tmp_path, capsys):
    out = tmp_path / "c.gpkg"
    _fails(["corridor", "g60", "--lines", d["trunc.gpkg"], "--out", out], capsys, tmp_path, "--lines", "damaged")
    _fails(["corridor", "g60", "--attributes", d["empty.csv"], "--out", out], capsys, tmp_path, "--attributes",
           "empty")
    _fails(["corridor", "--file", d["folder"], "--out", out], capsys, tmp_path, "--file", "folder")
    _fails(["corridor", "g60", "--out", tmp_path / "c.csv"], capsys, tmp_path, "--out", ".gpkg")
    # a GBK travel-time table is read (encoding detected); its gaps are then named
    _fails(["enclaves", "--travel-time", d["tt_gbk.csv"], "--out", out], capsys, tmp_path, "no entry for")
    _fails(["enclaves", "--extra", tmp_path / "pairs.csv", "--out", out], capsys, tmp_path, "--extra",
           "no such file")
    _fails(["enclaves", "--extra", d["trunc.gpkg"], "--out", out], capsys, tmp_path, "--extra", "damaged")


# ----------------------------------------------------------------------------- network commands


def test_network_bad_inputs(d, tmp_path, capsys):
    _fails(["access", "--network", d["trunc.gpkg"], "--speed-field", "v", "--out", tmp_path / "a.gpkg"], capsys,
           tmp_path, "--network", "damaged")
    _fails(["access", "--network", d["u.gpkg"], "--speed-field", "v", "--out", tmp_path / "a.gpkg"], capsys,
           tmp_path, "--network", "expected line")
    _fails(["access", "--network", tmp_path / "extract.osm"], capsys, tmp_path, "--network", "no such file")
    _fails(["access", "--layer", "roads"], capsys, tmp_path, "pass --network")
    _fails(["od", "--out", tmp_path / "od.gpkg"], capsys, tmp_path, "--out", ".csv")
    (tmp_path / "iso.gpkg").mkdir()
    _fails(["isochrone", "--origin", "上海", "--out", tmp_path / "iso.gpkg"], capsys, tmp_path, "is a folder")


@pytest.mark.parametrize("argv", [["access", "--thresholds", "60,,90"],
                                  ["isochrone", "--origin", "上海", "--bands", "30,a"],
                                  ["rings", "--centre", "上海", "--breaks", "100;200"],
                                  ["benefit-schedule", "--revenue", "10", "--years", "3", "--shares", "0.3,x"]],
                         ids=lambda argv: argv[0])
def test_comma_separated_numbers_name_their_option(tmp_path, capsys, argv):
    option = next(a for a in argv if a in ("--thresholds", "--bands", "--breaks", "--shares"))
    out = [] if argv[0] == "benefit-schedule" else ["--out", tmp_path / "x.gpkg"]
    given = repr(argv[argv.index(option) + 1])
    _fails(argv + out, capsys, tmp_path, f"{option} must be comma-separated numbers like", given)


# ----------------------------------------------------------------------------- units commands


def test_units_bad_out(tmp_path, capsys):
    _fails(["units", "--out", tmp_path / "nofolder" / "u.gpkg"], capsys, tmp_path, "does not exist")
    (tmp_path / "g.gpkg").mkdir()
    _fails(["groups", "g60", "--out", tmp_path / "g.gpkg"], capsys, tmp_path, "is a folder")


# ----------------------------------------------------------------------------- seed, encoding, report


@pytest.mark.slow  # two LISA runs and a map
def test_lisa_without_seed_is_reproducible_and_says_its_seed(d, tmp_path, capsys):
    runs = []
    for name in ("a.csv", "b.csv"):
        assert main(["lisa", "--attributes", str(d["ratio.csv"]), "--column", "ratio_2019", "--permutations", "99",
                     "--out", str(tmp_path / name)]) == 0
        runs.append(capsys.readouterr().out)
    assert SEED_LINE in runs[0]
    assert runs[0] == runs[1].replace("b.csv", "a.csv")
    a, b = (pd.read_csv(tmp_path / n) for n in ("a.csv", "b.csv"))
    pd.testing.assert_frame_equal(a, b)
    assert main(["lisa", "--attributes", str(d["ratio.csv"]), "--column", "ratio_2019", "--permutations", "99",
                 "--seed", "20191201", "--out", str(tmp_path / "c.csv")]) == 0
    out = capsys.readouterr().out
    assert "seed 20191201" in out and "pass --seed" not in out
    pd.testing.assert_frame_equal(a, pd.read_csv(tmp_path / "c.csv"))


def test_moran_reads_gbk_like_utf8(d, tmp_path):
    for name in ("ratio.csv", "gbk.csv"):
        assert main(["moran", "--attributes", str(d[name]), "--column", "ratio_2019", "--permutations", "9",
                     "--out", str(tmp_path / f"{name}.json")]) == 0
    a, b = (json.loads((tmp_path / f"{n}.json").read_text(encoding="utf-8")) for n in ("ratio.csv", "gbk.csv"))
    assert a == b


def test_unparseable_cell_is_reported_not_hidden(d, tmp_path, capsys):
    assert main(["moran", "--attributes", str(d["abc.csv"]), "--column", "ratio_2019", "--permutations", "9",
                 "--missing", "drop"]) == 0
    captured = capsys.readouterr()
    assert "yrdgeo: warning:" in captured.err and "'abc'" in captured.err and "ratio_2019" in captured.err
    assert "n = 40" in captured.out


# ----------------------------------------------------------------------------- the edge itself


def test_error_messages_of_the_edge():
    full = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), "/data/atlas/atlas.gpkg")
    assert error_message(full) == "/data/atlas/atlas.gpkg: the disk is full; free some space or write to another disk"
    exdev = OSError(errno.EXDEV, os.strerror(errno.EXDEV), "/tmp/a", None, "/mnt/b")
    assert os_message(exdev) == "/tmp/a -> /mnt/b: cannot move a file across file systems"
    assert error_message(FileExistsError("x.gpkg exists; pass --overwrite")) == "x.gpkg exists; pass --overwrite"
    assert "--encoding" in error_message(UnicodeDecodeError("utf-8", b"\xc9", 0, 1, "invalid start byte"))
    assert error_message(KeyError("gdp")).startswith("'gdp' not found")
    # Anything else is a bug: main() prints "internal error ... please report it", the traceback, exit 1.
    assert error_message(TypeError("unsupported operand")) is None
    assert error_message(AttributeError("x")) is None


@pytest.mark.slow  # a subprocess importing yrdgeo
def test_console_script_prints_no_traceback(d, tmp_path):
    exe = Path(sys.executable).with_name("yrdgeo")
    assert exe.exists()
    proc = subprocess.run([str(exe), "lisa", "--boundaries", str(d["trunc.gpkg"]), "--column", "ratio_2019",
                           "--out", str(tmp_path / "l.gpkg")], capture_output=True, text=True, check=False)
    assert proc.returncode == 2
    assert proc.stderr.startswith("yrdgeo: error: --boundaries ") and "damaged" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.slow  # a subprocess importing yrdgeo
def test_ctrl_c_exits_130_without_traceback(d, tmp_path):
    out = tmp_path / "lisa.gpkg"
    proc = subprocess.Popen(
        [sys.executable, "-u", "-m", "yrdgeo", "lisa", "--level", "county", "--islands", "nearest",
         "--attributes", str(d["county.csv"]), "--column", "v", "--permutations", "199999", "--out", str(out)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    for line in proc.stdout:  # the seed line comes right before the permutations start
        if line.startswith("seed "):
            break
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=600)
    assert proc.returncode == 130, err
    assert "yrdgeo: interrupted" in err and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.slow  # a subprocess importing yrdgeo
def test_closed_stdout_pipe_ends_quietly():
    proc = subprocess.Popen([sys.executable, "-m", "yrdgeo", "groups"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    proc.stdout.close()  # the reader went away before yrdgeo wrote anything (like `| head` after its lines)
    err = proc.stderr.read()
    proc.wait(timeout=600)
    assert proc.returncode == 141
    assert err == ""


@pytest.mark.slow  # LISA and its map onto a full tmpfs
def test_full_disk_writes_neither_output(d, tmp_path, capsys, tmpfs):
    # About 3.8 MB of layer (geometry as WKT) and 0.3 MB of map for 3.9 MB of disk: the map does not fit.
    with tmpfs(tmp_path / "disk", "3900k") as disk:
        _fails(["lisa", "--attributes", d["ratio.csv"], "--column", "ratio_2019", "--permutations", "9",
                "--out", disk / "lisa.csv", "--map", disk / "lisa.png"], capsys, disk, "disk full", "lisa.png")
        assert list(disk.iterdir()) == []


@pytest.mark.slow  # several failing LISA and weights runs
def test_library_keywords_are_written_as_options(d, tmp_path, capsys):
    err = _fails(["lisa", "--attributes", d["abc.csv"], "--column", "ratio_2019", "--permutations", "9"], capsys,
                 tmp_path, "pass --missing drop", "徐州市")
    assert "missing='drop'" not in err
    err = _fails(["weights", "--level", "county"], capsys, tmp_path, "--islands nearest", "--island-k",
                 "--tolerance-km", "330921 岱山县")
    assert "island_k" not in err and "islands='" not in err

"""The built wheel works when installed outside the source tree."""

from __future__ import annotations

import os
import site
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # builds a wheel and a virtual environment

ROOT = Path(__file__).resolve().parents[1]


def test_wheel_installs_and_loads_boundaries(tmp_path):
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(wheels), str(ROOT)],
        check=True,
    )
    (wheel,) = wheels.glob("yrdgeo-*.whl")
    env_dir = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env_dir)], check=True)
    py = env_dir / "bin" / "python"
    purelib = subprocess.run([py, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             check=True, capture_output=True, text=True).stdout.strip()
    # Dependencies come from the test environment's site-packages (a .pth line does not run the
    # editable-install hook there, so the source tree is not importable); the package itself
    # is installed from the wheel alone.
    Path(purelib, "deps.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", purelib, str(wheel)],
                   check=True)
    code = (
        "import yrdgeo, sys; assert 'site-packages' in yrdgeo.__file__, yrdgeo.__file__;"
        "print(yrdgeo.__file__); c = yrdgeo.load_units('city'); k = yrdgeo.load_units('county');"
        "print(len(c), len(k), yrdgeo.resolve('Songjiang'), len(yrdgeo.list_groups()))"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}  # only the wheel may provide yrdgeo
    proc = subprocess.run([py, "-c", code], cwd=tmp_path, capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.strip().splitlines()
    assert lines[0].startswith(str(env_dir))
    assert lines[1].split()[:3] == ["41", "305", "310117"]

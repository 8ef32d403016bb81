#!/usr/bin/env bash
# One entry point for set-up and the two jobs the README names.
#   bash tools/run.sh atlas [ATLAS OPTIONS]   set up, then build the YRD atlas on the bundled data
#   bash tools/run.sh test  [PYTEST OPTIONS]  set up (QGIS included), then run the whole test suite
#   bash tools/run.sh setup [--qgis]           set up only
# Set-up is idempotent: system packages are installed once, the virtual
# environment (.venv, on Debian's Python so PyQGIS is importable) is rebuilt
# only when setup.cfg changes.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
venv="$here/.venv"

need_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

apt_install() {
  local missing=()
  # dpkg -s also succeeds for a removed package whose configuration files remain ("rc"): ask for the status.
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    echo "[yrdgeo] installing system packages: ${missing[*]}"
    need_root apt-get update -qq
    need_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

setup() {
  local with_qgis="$1"
  # Debian's python3 is the one QGIS 3.22 runs on; the library must work there.
  local pkgs=(python3 python3-venv python3-pip fonts-noto-cjk)
  if [ "$with_qgis" = yes ]; then pkgs+=(python3-qgis qgis qgis-providers poppler-utils chromium xvfb xauth); fi
  apt_install "${pkgs[@]}"
  local stamp="$venv/.yrdgeo-setup"
  local want
  want="$(cat setup.cfg pyproject.toml | sha256sum | cut -c1-16)"
  if [ ! -x "$venv/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    echo "[yrdgeo] creating $venv"
    rm -rf "$venv"
    /usr/bin/python3 -m venv --system-site-packages "$venv"
    "$venv/bin/python" -m pip install -q --upgrade pip
    # numpy<2: QGIS's GDAL bindings (osgeo.gdal_array) are built against numpy 1.x.
    "$venv/bin/python" -m pip install -q "numpy<2" -e ".[test]"
    echo "$want" > "$stamp"
  fi
}

cmd="${1:-}"; shift || true
case "$cmd" in
  setup)
    if [ "${1:-}" = "--qgis" ]; then setup yes; else setup no; fi ;;
  atlas)
    setup no
    exec "$venv/bin/yrdgeo" atlas "$@" ;;
  test)
    setup yes
    export QT_QPA_PLATFORM=offscreen MPLBACKEND=Agg
    # Every test, one pytest-xdist worker per core (setup.cfg adds --dist loadfile); options given after win.
    exec "$venv/bin/python" -m pytest -n "$(nproc)" "$@" ;;
  *)
    echo "usage: bash tools/run.sh {atlas|test|setup} [options]" >&2; exit 2 ;;
esac

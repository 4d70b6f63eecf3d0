#!/usr/bin/env bash
# Installs everything jamcore needs on a fresh Debian machine with Python 3.11:
# system packages (FluidSynth, soundfonts, liblo tools, PortAudio, Pure Data, Node.js for the device's
# launcher tests), a virtual environment in .venv, a CPU build of torch, and the project itself with
# every extra (training, evaluation, tests). Safe to run again. Producers need none of this: see
# ableton/README.md, "Install".
set -euo pipefail
cd "$(dirname "$0")/.."

SYSTEM_PACKAGES=(libfluidsynth3 fluid-soundfont-gm timgm6mb-soundfont liblo-tools libportaudio2 puredata-core
                 nodejs)
missing=()
for pkg in "${SYSTEM_PACKAGES[@]}"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if ((${#missing[@]})); then
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    echo "setup: installing system packages: ${missing[*]}"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
    echo "setup: creating .venv"
    "$PYTHON" -m venv .venv
fi
stamp=.venv/.jamcore-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    .venv/bin/pip install -q --upgrade pip
    # Pin torch first: 2.13.0 is a CPU build (on these machines a local wheel); an unpinned torch
    # would pull a multi-GB CUDA build that a CPU-only accompanist does not need.
    .venv/bin/python -c "import torch" 2>/dev/null || .venv/bin/pip install -q "torch==2.13.0"
    .venv/bin/pip install -q -e ".[full,test]"
    touch "$stamp"
fi
echo "setup: ready (.venv)"

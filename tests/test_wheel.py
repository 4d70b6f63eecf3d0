"""The wheel a producer installs: built from this checkout, installed with no extras into a fresh virtual
environment (packages come from the package index; pip's cache makes reruns quick), where torch cannot
be imported and `jamcore serve`, `demo` and `harmonize` work and play the same chords as here."""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from bridge.client import probe

ROOT = Path(__file__).resolve().parents[1]
MELODY = ROOT / "jamcore" / "assets" / "demo_melody.mid"
SOURCES = ("jamcore", "bridge", "ableton", "max_patches", "pyproject.toml", "README.md")
SIZE_LIMIT_MB = 200
OFFLINE = ("Could not find a version", "No matching distribution", "Failed to establish a new connection",
           "Temporary failure in name resolution", "Network is unreachable")

pytestmark = pytest.mark.slow


def build_wheel(out: Path) -> Path:
    """The wheel, built offline from a copy of the sources (the checkout gets no build/ folder)."""
    src = out / "src"
    src.mkdir()
    for name in SOURCES:
        p = ROOT / name
        if p.is_dir():
            shutil.copytree(p, src / name, ignore=shutil.ignore_patterns("__pycache__", "state", "*.pyc"))
        else:
            shutil.copy2(p, src / name)
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(src), "--no-deps", "--no-build-isolation", "-q",
                    "-w", str(out / "dist")], check=True, capture_output=True, text=True)
    (wheel,) = (out / "dist").glob("jamcore-*.whl")
    return wheel


def folder_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink()) / 2**20


@pytest.fixture(scope="module")
def light(tmp_path_factory):
    """(wheel, venv) with the wheel installed and nothing else asked for."""
    out = tmp_path_factory.mktemp("wheel")
    wheel = build_wheel(out)
    venv = out / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    py = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    res = subprocess.run([sys.executable, "-m", "pip", "--python", str(py), "install", "-q", str(wheel)],
                         capture_output=True, text=True)
    if res.returncode != 0 and any(s in res.stderr for s in OFFLINE):
        pytest.skip(f"no package index reachable: {res.stderr.strip().splitlines()[-1]}")
    assert res.returncode == 0, res.stderr
    return wheel, venv


def jamcore(venv: Path, *args: str, cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}  # only what the venv holds
    return subprocess.run([str(venv / "bin" / "jamcore"), *args], capture_output=True, text=True, cwd=cwd,
                          env=env, timeout=timeout)


def test_the_wheel_holds_the_checkpoints_the_device_and_its_launcher(light):
    wheel, _ = light
    names = set(zipfile.ZipFile(wheel).namelist())
    for name in ("gapt-1.0", "gapt-0.25", "gapt-4.0", "mle", "rl"):
        assert {f"jamcore/checkpoints/{name}.json", f"jamcore/checkpoints/{name}.safetensors"} <= names
    assert {"ableton/Jam Bridge.amxd", "max_patches/jam_launcher.js", "jamcore/assets/demo_melody.mid"} <= names
    meta = zipfile.ZipFile(wheel).read(next(n for n in names if n.endswith("/METADATA"))).decode()
    base = [line for line in meta.splitlines() if line.startswith("Requires-Dist:") and "extra ==" not in line]
    assert not [line for line in base if any(m in line for m in ("torch", "music21", "matplotlib"))], base


def test_no_torch_and_a_small_environment(light):
    _, venv = light
    assert subprocess.run([str(venv / "bin" / "python"), "-c", "import torch"], capture_output=True).returncode != 0
    assert subprocess.run([str(venv / "bin" / "python"), "-c", "import music21"], capture_output=True).returncode != 0
    size = folder_mb(venv)
    print(f"light venv: {size:.0f} MB")
    assert size < SIZE_LIMIT_MB


def test_harmonize_and_the_daemons_chords_match_the_development_environment(light, tmp_path):
    _, venv = light
    from jamcore.cli import main
    from session_chords import session_chords

    out = jamcore(venv, "harmonize", str(MELODY), "--out", "light.mid", "--json", "light.json", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert main(["harmonize", str(MELODY), "--out", str(tmp_path / "dev.mid"), "--json", str(tmp_path / "dev.json")]) == 0
    assert json.loads((tmp_path / "light.json").read_text()) == json.loads((tmp_path / "dev.json").read_text())
    # The daemon's session, fed the same melody on a simulated clock, from the installed wheel.
    res = subprocess.run([str(venv / "bin" / "python"), str(ROOT / "tests" / "session_chords.py")],
                         capture_output=True, text=True, cwd=tmp_path, timeout=300,
                         env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"})
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout) == json.loads(json.dumps(session_chords()))


def test_checkpoints_and_install_device_from_the_wheel(light, tmp_path):
    _, venv = light
    out = jamcore(venv, "checkpoints", cwd=tmp_path)
    assert out.returncode == 0 and "gapt-1.0" in out.stdout, out.stderr
    out = jamcore(venv, "install-device", "--dest", str(tmp_path / "lib"), "--dry-run", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    # The installed device and launcher are the ones this checkout ships.
    assert "would copy (installed)" in out.stdout and "jam_launcher.js" in out.stdout
    assert f"{venv}/bin/python -m jamcore.cli" in out.stdout
    assert not (tmp_path / "lib").exists()


def test_demo_and_serve_from_the_wheel(light, tmp_path):
    _, venv = light
    out = jamcore(venv, "demo", "--no-wav", "--bpm", "480", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert "chords; melody on a chord tone" in out.stdout and (tmp_path / "demo.mid").stat().st_size > 100
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    serve = subprocess.Popen([str(venv / "bin" / "jamcore"), "serve", "--port", str(port)], cwd=tmp_path,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                             env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"})
    try:
        deadline = time.monotonic() + 60
        while not probe(port, timeout=0.2):
            assert serve.poll() is None, serve.stdout.read()
            assert time.monotonic() < deadline, "no /jam/pong from the wheel's jamcore serve"
    finally:
        serve.terminate()
        assert serve.wait(timeout=10) == 0
    assert "jamcore bridge stopped" in serve.stdout.read()

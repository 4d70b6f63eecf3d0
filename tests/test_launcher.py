"""The device's launcher (max_patches/jam_launcher.js) under real Node, with a stand-in for Max.

Each "device" is a Node process running the launcher with tests/node/max-api standing in for Node for
Max: the test types what the device sends into its inlet (`start <port>`, `stop`) and reads its status
outlet. The daemon is the real `jamcore serve` from this checkout, asked over real UDP on 127.0.0.1.
"""
from __future__ import annotations

import json
import os
import queue
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from bridge.client import probe

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "max_patches" / "jam_launcher.js"
STAND_IN = ROOT / "tests" / "node"
NODE = "node"
START_S = 60.0  # a cold `jamcore serve` on a loaded 2-core machine


def free_udp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie (exited, not yet reaped by its parent) is gone for our purpose
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return True


def wait_until(cond, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


class Device:
    """One device's node.script: a Node process running the launcher."""

    def __init__(self, config_dir: Path):
        env = dict(os.environ, NODE_PATH=str(STAND_IN), JAMCORE_CONFIG_DIR=str(config_dir),
                   JAMCORE_LAUNCHER_TICK_MS="200", JAMCORE_LAUNCHER_BACKOFF_MS="200", PYTHONPATH=str(ROOT))
        self.proc = subprocess.Popen([NODE, str(SCRIPT)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True, env=env, bufsize=1)
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.lines.put(line.rstrip("\n"))

    def send(self, line: str) -> None:
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()

    def wait_status(self, prefix: str, timeout: float = START_S) -> str:
        """The first status line (from now on) starting with ``prefix``; the others are kept in ``seen``."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self.lines.get(timeout=max(deadline - time.monotonic(), 0.01))
            except queue.Empty:
                raise AssertionError(f"no '{prefix}' within {timeout} s; saw {self.seen}; "
                                     f"stderr: {self._stderr()}") from None
            self.seen.append(line)
            if line.startswith(prefix):
                return line

    def _stderr(self) -> str:
        if self.proc.poll() is None:
            return "(running)"
        return self.proc.stderr.read()

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(timeout=10)


@pytest.fixture
def config_dir(tmp_path):
    """jamcore's per-user folder as `jamcore install-device` leaves it: the command that runs jamcore."""
    d = tmp_path / "jamcore"
    d.mkdir()
    (d / "launcher.json").write_text(json.dumps({"command": [sys.executable, "-m", "jamcore.cli"]}))
    return d


@pytest.fixture
def devices(config_dir):
    if shutil.which(NODE) is None:
        pytest.fail("Node.js is needed to test the device's launcher (scripts/setup.sh installs Debian's nodejs)")
    made: list[Device] = []

    def make() -> Device:
        made.append(Device(config_dir))
        return made[-1]

    yield make
    for d in made:
        d.close()
    rec = config_dir / "run"
    for f in rec.glob("*/daemon.json"):  # a test that failed half-way leaves no daemon behind
        pid = json.loads(f.read_text()).get("pid")
        if pid and alive(pid):
            os.kill(pid, signal.SIGKILL)


def daemon_pid(config_dir: Path, port: int) -> int:
    return json.loads((config_dir / "run" / str(port) / "daemon.json").read_text())["pid"]


def test_the_device_starts_the_daemon_shares_it_and_stops_it_with_the_last_device(config_dir, devices):
    port = free_udp_port()
    a = devices()
    a.send(f"start {port}")
    assert a.wait_status("status ") in ("status starting", f"status running {port}")
    assert a.wait_status("status running") == f"status running {port}"
    assert probe(port)
    pid = daemon_pid(config_dir, port)

    b = devices()  # a second device on the same port: it finds the bridge and starts nothing
    b.send(f"start {port}")
    assert b.wait_status("status ") == f"status running {port}"
    assert daemon_pid(config_dir, port) == pid

    a.send("stop")  # the first device removed: the other still uses the daemon
    a.wait_status("status stopped")
    time.sleep(0.5)
    assert alive(pid) and probe(port)

    b.proc.send_signal(signal.SIGTERM)  # Max ends the last device's Node process
    assert b.proc.wait(timeout=10) == 0
    wait_until(lambda: not alive(pid), 10, "the daemon to stop with the last device")
    assert not probe(port)
    assert not (config_dir / "run" / str(port) / "daemon.json").exists()


def test_a_bridge_started_by_hand_is_used_and_left_running(config_dir, devices):
    port = free_udp_port()
    by_hand = subprocess.Popen([sys.executable, "-m", "jamcore.cli", "serve", "--port", str(port)],
                               env=dict(os.environ, PYTHONPATH=str(ROOT)), stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    try:
        wait_until(lambda: probe(port), START_S, "the hand-started bridge")
        d = devices()
        d.send(f"start {port}")
        assert d.wait_status("status ") == f"status running {port}"
        d.send("stop")
        d.wait_status("status stopped")
        time.sleep(0.5)
        assert by_hand.poll() is None and probe(port)
        assert not (config_dir / "run" / str(port) / "daemon.json").exists()
    finally:
        by_hand.terminate()
        by_hand.wait(timeout=10)


def test_a_crashed_daemon_is_restarted_and_the_reason_shown(config_dir, devices):
    port = free_udp_port()
    d = devices()
    d.send(f"start {port}")
    d.wait_status("status running")
    pid = daemon_pid(config_dir, port)
    os.kill(pid, signal.SIGKILL)
    assert d.wait_status("status restarting") == "status restarting the bridge was stopped (SIGKILL)"
    assert d.wait_status("status running") == f"status running {port}"
    assert daemon_pid(config_dir, port) != pid and probe(port)


def test_a_daemon_that_cannot_start_is_retried_with_its_error_shown(config_dir, devices):
    port = free_udp_port()
    (config_dir / "launcher.json").write_text(json.dumps({
        "command": [sys.executable, "-m", "jamcore.cli"], "serve_args": ["--checkpoint", "no-such-policy"]}))
    d = devices()
    d.send(f"start {port}")
    line = d.wait_status("status restarting")
    assert line.startswith("status restarting no checkpoint named 'no-such-policy'")
    first = json.loads((config_dir / "run" / str(port) / "daemon.json").read_text())
    assert first["deaths"] == 1
    wait_until(lambda: json.loads((config_dir / "run" / str(port) / "daemon.json").read_text())["deaths"] >= 2,
               START_S, "a second try")


def test_after_five_quick_failures_the_status_says_error_and_it_keeps_trying(config_dir, devices):
    # A command that fails at once the way `jamcore serve` does (its last line), so five tries take
    # seconds, not five Python start-ups.
    reason = "cannot listen on 127.0.0.1:7400: [Errno 98] Address already in use"
    (config_dir / "launcher.json").write_text(json.dumps({
        "command": [sys.executable, "-c", f"import sys; sys.exit('jamcore: error: {reason}')"]}))
    d = devices()
    d.send(f"start {free_udp_port()}")
    assert d.wait_status("status restarting") == f"status restarting {reason}"
    assert d.wait_status("status error") == f"status error jamcore keeps stopping: {reason}"
    rec = json.loads(next((config_dir / "run").glob("*/daemon.json")).read_text())
    assert rec["deaths"] >= 5 and rec["retry_at"] - time.time() * 1000 <= 30000


def test_a_recorded_command_that_cannot_run_is_reported(config_dir, devices):
    (config_dir / "launcher.json").write_text(json.dumps({"command": [str(config_dir / "gone" / "python")]}))
    d = devices()
    d.send(f"start {free_udp_port()}")
    assert d.wait_status("status ", timeout=10) == \
        f"status error cannot run {config_dir / 'gone' / 'python'}: reinstall with `jamcore install-device`"


def test_a_port_taken_by_another_program_is_refused_until_it_is_free(config_dir, devices):
    port = free_udp_port()
    squatter = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    squatter.bind(("127.0.0.1", port))  # something that is not jamcore: it never answers /jam/ping
    d = devices()
    d.send(f"start {port}")
    line = d.wait_status("status ")
    assert line == f"status error port {port} is taken by another program (not a jamcore bridge); " \
                   "close it or choose another port"
    time.sleep(1.0)
    assert not (config_dir / "run" / str(port) / "daemon.json").exists()  # nothing was started
    squatter.close()
    assert d.wait_status("status running") == f"status running {port}"


def test_without_an_installed_jamcore_the_device_says_what_to_run(config_dir, devices):
    (config_dir / "launcher.json").unlink()
    d = devices()
    d.send(f"start {free_udp_port()}")
    assert d.wait_status("status ", timeout=10) == \
        "status error jamcore is not installed for this device: run `jamcore install-device`"

"""Suite-wide test marks.

`make test` runs the suite in two phases on parallel workers (pytest-xdist): first everything that
only needs CPU, then the `realtime` files, whose daemons, loaders and players keep wall-clock
deadlines. A realtime test then never shares the machine with a training run on another worker, which
would starve the bridge's niced loader process and make its deadlines a measure of the neighbour.
"""
import pytest

REALTIME_FILES = {
    "test_bridge_daemon.py", "test_bridge_hostile.py", "test_bridge_outputs.py", "test_bridge_udp.py",
    "test_launcher.py", "test_live_path.py", "test_max_runtime.py", "test_pd_client.py", "test_simulate.py",
    "test_wheel.py",
}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.path.name in REALTIME_FILES:
            item.add_marker(pytest.mark.realtime)

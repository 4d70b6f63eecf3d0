# The README's two commands: `make serve` (install, then run the daemon) and `make test`.
# `make wheel`: the wheel producers install (the light runtime; see ableton/README.md, "Install").
.PHONY: setup serve test demo wheel

setup:
	@bash scripts/setup.sh

serve: setup
	.venv/bin/jamcore serve

demo: setup
	.venv/bin/jamcore demo

# Two phases on parallel workers (one per core): the CPU-only tests, then those that keep wall-clock
# deadlines, so no training test shares the machine with a live daemon (tests/conftest.py).
PYTEST = .venv/bin/python -m pytest -q -n auto --dist loadfile
# Both phases run whatever the first gives; the target fails if either does.
test: setup
	@status=0; $(PYTEST) -m "not realtime" || status=$$?; $(PYTEST) -m realtime || status=$$?; exit $$status

wheel: setup
	.venv/bin/python -m pip wheel . --no-deps --no-build-isolation -q -w dist
	@ls dist/jamcore-*.whl

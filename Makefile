# The README's two commands: `make serve` (install, then run the daemon) and `make test`.
# `make wheel`: the wheel producers install (the light runtime; see ableton/README.md, "Install").
.PHONY: setup serve test demo wheel

setup:
	@bash scripts/setup.sh

serve: setup
	.venv/bin/jamcore serve

demo: setup
	.venv/bin/jamcore demo

test: setup
	.venv/bin/python -m pytest -q

wheel: setup
	.venv/bin/python -m pip wheel . --no-deps --no-build-isolation -q -w dist
	@ls dist/jamcore-*.whl

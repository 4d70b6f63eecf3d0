# The README's two commands: `make serve` (install, then run the daemon) and `make test`.
.PHONY: setup serve test demo

setup:
	@bash scripts/setup.sh

serve: setup
	.venv/bin/jamcore serve

demo: setup
	.venv/bin/jamcore demo

test: setup
	.venv/bin/python -m pytest -q

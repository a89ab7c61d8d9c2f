# The two commands of the README. Both set everything up first (idempotent, cached).
.PHONY: setup demo test

setup:
	./scripts/setup

demo: setup
	.venv/bin/claims demo

test: setup
	.venv/bin/python -m pytest -q -p no:cacheprovider

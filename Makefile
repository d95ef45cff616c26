# The two commands a newcomer needs: `make run` and `make test`. Everything else is a step of them.
SHELL := /bin/bash
.DEFAULT_GOAL := help

.PHONY: help setup train run run-cluster test test-fast bench soak eval clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

setup: ## install system packages, both Python environments, models and demo data (first run only)
	@scripts/setup.sh

train: setup ## train the Rasa model if its data or config changed
	@scripts/train.sh

run: train ## start the whole system on localhost (Ctrl-C stops it)
	@source scripts/env.sh && .venv/bin/python -m launcher run

run-cluster: train ## the same with two of each service behind nginx (docs/deployment.md)
	@source scripts/env.sh && .venv/bin/python -m launcher run-cluster

test: train ## run every test: data validation, unit, story, integration and browser tests
	@scripts/test.sh

bench: train ## measure latency and memory; writes docs/benchmarks.md
	@scripts/bench.sh

soak: train ## load and soak test through nginx, 1 and 2 instances (SOAK_ARGS="--customers 60 --duration 210")
	@scripts/soak.sh $(SOAK_ARGS)

eval: train ## evaluate on the public dev data in ../shared/data when it is there
	@scripts/eval.sh

clean: ## remove environments, models and runtime data
	rm -rf .venv .venv-rasa models var results .rasa

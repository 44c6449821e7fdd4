# The replication suite. Two commands matter:
#   make replicate PAPER=<key> [TIER=default] [SEEDS=3]   run + report + verify one paper
#   make test                                             the correctness and smoke gates
SHELL := /bin/bash
PAPER ?=
TIER ?= default
SEEDS ?= 3
THREADS ?= 2
DB ?= .replicate/results.sqlite
SWIFT ?= swift
# OpenBLAS 0.3.21 may pick AVX2 kernels on AVX-512 CPUs; SkylakeX measured fastest here (README).
export OPENBLAS_CORETYPE ?= SkylakeX
export OPENBLAS_NUM_THREADS ?= $(THREADS)

APT_PACKAGES := libopenblas-dev libsqlite3-dev gnuplot-nox libgnuplot-iostream-dev \
                dict-gcide dict-foldoc dict-jargon fortunes wordnet-base
RELEASE := $(SWIFT) build -c release
BIN := .build/release/replicate

.PHONY: all setup build test replicate report verify nightly bench datasets clean lint

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
test: setup lint
	$(SWIFT) test -c release -Xswiftc -enable-testing

lint:
	@true

replicate: build
	@if [ -z "$(PAPER)" ]; then echo "error: name a paper: make replicate PAPER=<key> (see '$(BIN) list')"; exit 2; fi
	$(BIN) run $(PAPER) --tier $(TIER) --seeds $(SEEDS) --threads $(THREADS) --db $(DB)
	$(BIN) report $(PAPER) --tier $(TIER) --db $(DB)
	$(BIN) verify $(PAPER) --tier $(TIER) --db $(DB)

clean:
	rm -rf .build

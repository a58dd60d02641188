# Rusta: every set-up step lives here, so a fresh machine needs only `make run` and `make test`.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
APP     := $(VENV)/.installed-app
DEV     := $(VENV)/.installed-dev
RUSTA   := $(BIN)/rusta
PREFIX  ?= $(HOME)/.local
DEMO    := examples/demo-crate
JOBS    ?= 2
export JAX_PLATFORMS ?= cpu

# Debian crates for heavier local runs (gym, bench, LM corpus); never needed by `make test`.
DEBIAN_CRATES := adler aho-corasick anyhow arbitrary bumpalo chunked-transfer encoding-rs errno \
  fallible-iterator fnv gimli globset gzip-header hex-literal inflate matches miniz-oxide num-bigint \
  num-complex num-rational num-traits number-prefix object once-cell os-pipe parking-lot-core pest \
  pest-generator pest-meta rand-chacha rand-core regex-syntax rustix semver shlex signal-hook-registry spin \
  stackvector take-mut termcolor typenum ucd-trie unicode-bidi unicode-categories \
  unicode-normalization unicode-xid value-bag version-check vte
# Held out for evaluation only (LM bench): never trained on, mutated or used as fixtures.
HELDOUT_CRATES := atomic beef bit-set bit-vec bytesize either fixedbitset heck indexmap log memoffset \
  nibble-vec num-iter owning-ref quick-error rustc-demangle scopeguard semver-parser smallvec smawk \
  strsim unicode-width vec-map walkdir
MODEL_ARGS ?=

.DEFAULT_GOAL := help
.PHONY: help venv install sysdeps run demo test test-fast lint fmt bench bench-long crates model clean

help: ## Show this help
	@awk 'BEGIN{FS=":.*## "} /^[a-zA-Z_-]+:.*## /{printf "  make %-10s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

# Two stamps: the app needs no JAX (scoring is numpy), so `make run` installs only what it needs;
# the tests, the bench and `make model` also need the `dev` and `train` extras.
$(APP): pyproject.toml
	@command -v $(PY) >/dev/null || { echo "rusta: $(PY) not found; install Python 3.11+"; exit 2; }
	@test -x $(BIN)/python || { echo "rusta: creating $(VENV)"; $(PY) -m venv $(VENV); }
	@echo "rusta: installing Rusta and what the app needs into $(VENV) (no JAX; a minute the first time)"
	@$(BIN)/python -m pip install -q --upgrade pip
	@$(BIN)/python -m pip install -q -e .
	@touch $@

$(DEV): $(APP)
	@echo "rusta: installing the test and training tools into $(VENV) (pytest, ruff, mypy, JAX, Flax, Optax, Orbax)"
	@$(BIN)/python -m pip install -q -e '.[dev,train]'
	@touch $@

venv: $(DEV) ## Create .venv and install Rusta with its dev and training tools

install: $(APP) ## Put `rusta` on PATH: a link in $(PREFIX)/bin to this checkout's .venv/bin/rusta
	@mkdir -p $(PREFIX)/bin
	@ln -sf $(abspath $(RUSTA)) $(PREFIX)/bin/rusta
	@echo "rusta: linked $(PREFIX)/bin/rusta -> $(abspath $(RUSTA))"
	@case ":$$PATH:" in *":$(PREFIX)/bin:"*) ;; \
	  *) echo "rusta: $(PREFIX)/bin is not on your PATH; add it, or run $(RUSTA)";; esac

demo: $(APP) ## Reset the bundled demo crate to its broken state
	$(RUSTA) demo reset $(DEMO)

run: $(APP) ## Open Rusta on the bundled demo crate (creates the venv if missing)
	@test -d $(DEMO) || { echo "rusta: writing the demo crate to $(DEMO)"; $(RUSTA) demo reset $(DEMO); }
	@echo "rusta: opening $(RUSTA) tui $(DEMO) (q quits; $(RUSTA) --help lists the commands)"
	@$(RUSTA) tui $(DEMO)

sysdeps: ## Install the Debian tools the test suite drives (tmux), if missing
	@command -v tmux >/dev/null || { apt-get update -q && apt-get install -y -q --no-install-recommends tmux; } \
	  || { echo "rusta: tmux is missing and could not be installed (apt-get install tmux)"; exit 2; }

test: $(DEV) sysdeps ## Run the whole test suite (real cargo on fixture crates), as CI does
	@command -v cargo >/dev/null || { echo "rusta: cargo is not on PATH; the suite needs the Rust toolchain"; exit 2; }
	$(BIN)/python -m pytest -n $(JOBS) --dist loadgroup -q

test-fast: $(DEV) ## Run the tests that need no cargo build
	$(BIN)/python -m pytest -n $(JOBS) -q -m "not slow"

lint: $(DEV) ## ruff check, and mypy on every package (the modules not clean yet: [tool.mypy] in pyproject.toml)
	$(BIN)/ruff check .
	$(BIN)/mypy

fmt: $(DEV) ## ruff format + fix imports
	$(BIN)/ruff check --fix --select I .
	$(BIN)/ruff format .

bench: $(DEV) ## Run every benchmark; prints a table, writes bench/results/*.json
	$(BIN)/python -m bench
	$(BIN)/python -m engine.diagindex build

TRIALS ?= 10000
PATCH_TRIALS ?= 1000
bench-long: $(DEV) ## The long reliability run, not in CI: TRIALS kill -9 trials of DevLog writers (10000), with and without compaction, and PATCH_TRIALS of apply and undo (1000)
	RUSTA_BENCH_KILL_TRIALS=$(TRIALS) $(BIN)/python -m bench diary
	RUSTA_BENCH_PATCH_KILL_TRIALS=$(PATCH_TRIALS) $(BIN)/python -m bench patch_kill

crates: ## Install Debian crate sources for gym/bench/LM (apt-get, needs root)
	apt-get update -q
	apt-get install -y -q --no-install-recommends $(addprefix librust-,$(addsuffix -dev,$(DEBIAN_CRATES) $(HELDOUT_CRATES)))

model: $(DEV) ## Rebuild the shipped byte-LM checkpoint (needs `make crates`; MODEL_ARGS="--minutes 20")
	$(BIN)/python -m engine.bytelm.train --preset small --ship $(MODEL_ARGS)

clean: ## Remove the venv and caches (not your crates, not .rusta/)
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis

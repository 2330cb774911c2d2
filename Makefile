# PMO Desk developer commands. Newcomers need only `make run` and `make test`.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

# node_modules/.bin first: Trunk must find wasm-opt 132 from npm `binaryen`
# (Debian's binaryen is too old). ~/.cargo/bin holds trunk and wasm-bindgen.
export PATH := $(CURDIR)/node_modules/.bin:$(or $(CARGO_HOME),$(HOME)/.cargo)/bin:$(PATH)
# wasm-bindgen-test drives headless Chromium through this driver (webdriver.json).
export CHROMEDRIVER ?= /usr/bin/chromedriver
# CI builds once from clean: incremental caches would only cost disk.
ifneq ($(CI),)
export CARGO_INCREMENTAL ?= 0
endif

WASM_TARGET := --target wasm32-unknown-unknown

# scripts/test.sh runs setup once and then the layers with SKIP_SETUP=1.
ifeq ($(SKIP_SETUP),1)
SETUP :=
else
SETUP := setup
endif

.PHONY: help setup run test fmt clippy unit web dist e2e size bench clean

help: ## List the targets
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

setup: ## Install whatever is missing (idempotent; seconds on a warm machine)
	@bash scripts/setup.sh

run: $(SETUP) ## Serve the app with live rebuild on http://127.0.0.1:8080
	trunk serve --offline --address 127.0.0.1 --port 8080

test: $(SETUP) ## Every test layer in order, stop on first failure, timing summary
	@bash scripts/test.sh

fmt: ## Layer 1: formatting (cargo fmt --check)
	cargo fmt --all -- --check

clippy: ## Layer 2: clippy, native and wasm32, warnings are errors
	cargo clippy --all-targets -- -D warnings
	cargo clippy --all-targets $(WASM_TARGET) -- -D warnings

unit: ## Layer 3: native tests (cargo test) and the Automerge JS interop test
	cargo test
	node tests/interop/run.mjs

# Only the tests/web_*.rs binaries: the native tests and examples built for
# wasm32 would run nothing and cost gigabytes of disk (CI ran out once).
WEB_TESTS := $(patsubst tests/%.rs,--test %,$(wildcard tests/web_*.rs))

web: ## Layer 4: wasm-bindgen tests (tests/web_*.rs) in headless Chromium
	@bash scripts/web-tests.sh $(WASM_TARGET) $(WEB_TESTS)

dist: $(SETUP) ## Layer 5: release static site into dist/ (wasm-opt -Oz)
	trunk build --release --offline

e2e: ## Layer 6: end-to-end tests against the built dist/ (run `make dist` first)
	node tests/e2e/run.mjs

bench: ## Browser benchmarks (run `make dist` first): register at 1,000 projects, exchange at 100/1,000/5,000; records benches/results/*-browser.md
	node tests/e2e/bench-register.mjs
	node tests/e2e/bench-exchange.mjs

bench-native: ## Native benchmarks: exchange sizes and times, selection optimiser
	cargo bench --bench exchange
	cargo bench --bench selection

size: ## Wasm size of dist/ (raw, gzip, brotli); records benches/results/size.md
	@bash scripts/size.sh

clean: ## Remove build output (target/, dist/, e2e artifacts)
	cargo clean
	rm -rf dist tests/e2e/artifacts

# make run   installs what is missing (as root), builds pipe, builds every stage on Data/, exports every dataset,
#            and registers every export (pipe registry build).
# make test  same dependency step, then the whole test suite.
SHELL := /bin/bash
SWIFT ?= swift
PACKAGES := pkg-config libarchive-dev libxml2-dev libsqlite3-dev zlib1g-dev libzstd-dev zstd gcc binutils libgomp1
WORKSPACE ?= pipe-work
RELEASE_BIN := .build/release/pipe

.PHONY: run test test-slurm deps build build-debug build-info conformance bench clean

run: deps build
	$(RELEASE_BIN) build all --workspace $(WORKSPACE)
	$(RELEASE_BIN) export all --workspace $(WORKSPACE) > .pipe-exports
	$(RELEASE_BIN) registry build --workspace $(WORKSPACE)
	@echo
	@echo "Results:"
	@echo "  catalog:  $(WORKSPACE)/catalog.sqlite   (pipe status --workspace $(WORKSPACE))"
	@echo "  runs:     $(WORKSPACE)/runs/"
	@while read -r dir; do echo "  dataset:  $$dir/  (README.md, manifest.json, croissant.json, data/)"; done < .pipe-exports
	@echo "  registry: $(WORKSPACE)/catalog.sqlite, table registry   (pipe registry list --workspace $(WORKSPACE); pipe registry export --format html --out registry.html)"
	@rm -f .pipe-exports

# The tests are XCTest only: without --disable-swift-testing the last line printed would be the empty
# swift-testing run ("0 tests"), not the real totals.
test: deps build-info
	$(SWIFT) build
	$(SWIFT) test --disable-swift-testing 2>&1 | tee .build/test.log; exit $${PIPESTATUS[0]}

deps:
	@missing=""; for p in $(PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing:$$missing"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  else \
	    echo "missing system packages. Run:"; echo "  sudo apt-get update && sudo apt-get install -y$$missing"; exit 1; \
	  fi; \
	fi

# The commit goes into a git-ignored header so that only one C file is rebuilt when it changes.
build-info:
	@commit=$$(git rev-parse --short=12 HEAD 2>/dev/null || true); \
	time=$$(git log -1 --format=%ct 2>/dev/null || echo -1); \
	if [ -n "$$commit" ] && [ -n "$$(git status --porcelain --untracked-files=no 2>/dev/null)" ]; then commit="$$commit-dirty"; fi; \
	text="#define PIPE_GIT_COMMIT \"$$commit\""$$'\n'"#define PIPE_GIT_COMMIT_TIME $${time:--1}"; \
	if [ "$$(cat Sources/CPipeBuildInfo/build_info.h 2>/dev/null)" != "$$text" ]; then echo "$$text" > Sources/CPipeBuildInfo/build_info.h; fi

build: deps build-info
	$(SWIFT) build -c release --product pipe

# Conformance against ../shared/conformance (CI runs this when the folder exists); rewrites CONFORMANCE.md.
conformance: deps build-info
	scripts/conformance

# pipe slurm against a real one-node Slurm cluster started on this machine (as root; see scripts/test-slurm).
test-slurm: deps build-info
	scripts/test-slurm

bench: build
	scripts/bench

clean:
	rm -rf .build $(WORKSPACE)

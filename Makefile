# The two commands README promises: `make study` (the main job) and
# `make test` (the whole suite). Both do all set-up first, idempotently.
PRESET ?= release
BUILD := build/$(PRESET)
FORMBENCH := $(BUILD)/formbench

.PHONY: setup configure build test study clean

setup:
	@scripts/setup.sh

configure: setup
	@cmake --preset $(PRESET) >/dev/null

build: configure
	@cmake --build --preset $(PRESET)

test: build
	@ctest --preset $(PRESET) --timeout 600

study: build
	@scripts/study.sh $(FORMBENCH)

clean:
	rm -rf build

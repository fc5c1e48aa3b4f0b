# Makefile — the two commands (run, check), plus bench and clean. Everything else is meson.
BUILD ?= build
MESON_TEST_ARGS ?=

.PHONY: all deps build run check bench clean

all: build

deps:
	@build-aux/install-deps.sh

$(BUILD)/build.ninja:
	@build-aux/install-deps.sh
	meson setup $(BUILD) --buildtype=debugoptimized

build: $(BUILD)/build.ninja
	@ninja -C $(BUILD)

run: deps build
	@build-aux/run.sh $(BUILD)

# UI tests need a display: meson runs under one Xvfb server for the whole suite.
check: deps build
	@rm -f $(BUILD)/meson-logs/testlog.json
	@status=0; \
	xvfb-run -a -s "-screen 0 1920x1080x24" meson test -C $(BUILD) --no-rebuild --print-errorlogs \
	  --num-processes 2 $(MESON_TEST_ARGS) >$(BUILD)/meson-test.out 2>&1 || status=$$?; \
	tail -n 40 $(BUILD)/meson-test.out; \
	python3 build-aux/test-summary.py $(BUILD)/meson-logs/testlog.json || status=1; \
	exit $$status

bench: deps build
	@build-aux/bench.sh $(BUILD)

clean:
	rm -rf $(BUILD)

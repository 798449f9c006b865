# Descry — build, test and demo. Every target installs what it needs, idempotently:
# Debian packages with apt, and from PyPI wheels the ONNX Runtime shared library and the
# CLIP BPE vocabulary (unpacked into .deps/, never committed).

SHELL := /bin/bash
SWIFT ?= swift
PYTHON ?= python3
DEPS := .deps
ORT_VERSION := 1.32.0
OPEN_CLIP_VERSION := 3.3.0
ORT_LIB := $(DEPS)/onnxruntime/libonnxruntime.so
CLIP_VOCAB := $(DEPS)/clip/bpe_simple_vocab_16e6.txt.gz
APT_PACKAGES := pkg-config libsqlite3-dev libjpeg62-turbo-dev libpng-dev zlib1g-dev unzip
DEMO_STORE ?= $(DEPS)/demo/descry.db
BUILD_FLAGS ?=

.PHONY: all build test demo deps apt-deps bench clean vision-test-deps browser-deps report-check install uninstall

all: build

## Install the Debian packages the C shims link against, only when one is missing.
apt-deps:
	@missing=""; for p in $(APT_PACKAGES); do \
	  dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

## ONNX Runtime's shared library, taken from the PyPI wheel (the only place it is published here).
$(ORT_LIB):
	@mkdir -p $(DEPS)/wheels $(DEPS)/onnxruntime
	$(PYTHON) -m pip download --quiet --no-deps --only-binary=:all: \
	  onnxruntime==$(ORT_VERSION) -d $(DEPS)/wheels
	cd $(DEPS)/onnxruntime && unzip -o -j -q ../wheels/onnxruntime-$(ORT_VERSION)-*.whl \
	  'onnxruntime/capi/libonnxruntime.so*' 'onnxruntime/capi/libonnxruntime_providers_shared.so'
	ln -sf libonnxruntime.so.$(ORT_VERSION) $(ORT_LIB)

## The CLIP BPE vocabulary, from open_clip's wheel.
$(CLIP_VOCAB):
	@mkdir -p $(DEPS)/wheels $(DEPS)/clip
	$(PYTHON) -m pip download --quiet --no-deps --only-binary=:all: \
	  open_clip_torch==$(OPEN_CLIP_VERSION) -d $(DEPS)/wheels
	cd $(DEPS)/clip && unzip -o -j -q ../wheels/open_clip_torch-$(OPEN_CLIP_VERSION)-*.whl \
	  'open_clip/bpe_simple_vocab_16e6.txt.gz'
	touch $(CLIP_VOCAB)

deps: apt-deps $(ORT_LIB) $(CLIP_VOCAB)

build: apt-deps
	$(SWIFT) build $(BUILD_FLAGS) --product descry

test: deps vision-test-deps
	$(SWIFT) test $(BUILD_FLAGS) 2>&1 | tee $(DEPS)/last-test.log; exit $${PIPESTATUS[0]}

## `make install PREFIX=/usr/local` (DESTDIR for staging): a release `descry` in $(PREFIX)/bin, and
## beside it what it finds there from any working directory (Docs/install.md): Data/ in
## $(PREFIX)/share/descry/Data, the CLIP vocabulary in $(PREFIX)/share/descry/clip/, ONNX Runtime in
## $(PREFIX)/lib/descry/. Idempotent; `make uninstall` removes exactly these.
PREFIX ?= /usr/local
DESTDIR ?=
INSTALL_ROOT = $(DESTDIR)$(PREFIX)
ORT_FILES := libonnxruntime.so.$(ORT_VERSION) libonnxruntime_providers_shared.so

install: apt-deps $(ORT_LIB) $(CLIP_VOCAB)
	$(SWIFT) build -c release $(BUILD_FLAGS) --product descry
	install -d "$(INSTALL_ROOT)/bin" "$(INSTALL_ROOT)/share/descry/clip" "$(INSTALL_ROOT)/lib/descry"
	install -m 755 .build/release/descry "$(INSTALL_ROOT)/bin/descry"
	rm -rf "$(INSTALL_ROOT)/share/descry/Data"
	cp -R Data "$(INSTALL_ROOT)/share/descry/Data"
	install -m 644 $(CLIP_VOCAB) "$(INSTALL_ROOT)/share/descry/clip/"
	install -m 755 $(addprefix $(DEPS)/onnxruntime/,$(ORT_FILES)) "$(INSTALL_ROOT)/lib/descry/"
	ln -sfn libonnxruntime.so.$(ORT_VERSION) "$(INSTALL_ROOT)/lib/descry/libonnxruntime.so"
	@echo "installed $(INSTALL_ROOT)/bin/descry; check with: $(INSTALL_ROOT)/bin/descry paths"

uninstall:
	rm -f "$(INSTALL_ROOT)/bin/descry"
	rm -rf "$(INSTALL_ROOT)/share/descry" "$(INSTALL_ROOT)/lib/descry"

## The main job on the embedded default: a fresh store built from Data/.
demo: deps build
	@mkdir -p $(dir $(DEMO_STORE))
	rm -f $(DEMO_STORE) $(DEMO_STORE)-wal $(DEMO_STORE)-shm
	$(SWIFT) run $(BUILD_FLAGS) descry --store $(DEMO_STORE) demo --data Data

## Every benchmark with its Python baseline, one run each (Tests/Benchmarks/bench_run.sh records
## each one's --json output and the load average before and after), then one table and one JSON
## file: .deps/bench/report.md and .deps/bench/report.json (Docs/benchmarks.md).
BENCH := $(DEPS)/bench
RUNS := $(BENCH)/runs
RUN := Tests/Benchmarks/bench_run.sh $(RUNS)
DESCRY_RELEASE := .build/release/descry

bench: deps
	$(SWIFT) build -c release --product descry
	@$(PYTHON) -c "import PIL, numpy, onnx, onnxruntime, ftfy, regex" 2>/dev/null || \
	  $(PYTHON) -m pip install --quiet pillow numpy onnx onnxruntime==$(ORT_VERSION) ftfy regex
	@[ -d $(BENCH)/images ] || $(PYTHON) Data/benchmarks/vision/make_images.py --count 300 --out $(BENCH)/images
	@[ -f $(BENCH)/clip-b32/vision_model.onnx ] || $(PYTHON) Data/benchmarks/vision/make_clip_b32_onnx.py --out $(BENCH)/clip-b32
	rm -rf $(RUNS)
	$(RUN) import $(DESCRY_RELEASE) --json bench import --rows 1000000
	$(RUN) llm $(DESCRY_RELEASE) --json bench llm
	$(RUN) query $(DESCRY_RELEASE) --json bench query --bench-store $(BENCH)/bench-descry.db
	$(RUN) analysis $(DESCRY_RELEASE) --json bench analysis
	$(RUN) vision-b32 $(DESCRY_RELEASE) --json bench vision --images $(BENCH)/images --model $(BENCH)/clip-b32 --quantized
	$(RUN) vision-b32-python $(PYTHON) Data/benchmarks/vision/baseline.py --images $(BENCH)/images --model $(BENCH)/clip-b32 --json
	$(RUN) vision-demo $(DESCRY_RELEASE) --json bench vision --model Data/models/demo-clip --quantized
	$(DESCRY_RELEASE) bench report --runs $(RUNS) --out $(BENCH)

## Headless Chromium, installed only when missing (about 1.2 min with apt-get update here). Not
## needed by `make test`: the report's browser test skips without it; .ci/run installs it first.
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium; }

## Renders the demo's HTML report with headless Chromium (installed when missing) to check it in
## a real browser: .deps/demo/report.png.
report-check: demo browser-deps
	Tests/Benchmarks/render_report.sh $(dir $(DEMO_STORE))report.html $(dir $(DEMO_STORE))report.png

clean:
	rm -rf .build $(DEPS)

## Python packages the vision tests use to compute reference token ids at test time (the FuDD
## parity test skips without them). Idempotent: installs only what does not import.
vision-test-deps:
	@$(PYTHON) -c "import ftfy, regex" 2>/dev/null || $(PYTHON) -m pip install --quiet ftfy regex

# Belarus Monitor: every target sets up what it needs on a fresh machine that has
# only python3 and make. uv (installed into .uv/ from PyPI) creates .venv from uv.lock:
# the reports need the project's dependencies only; tests, lint and bench add the dev extra.

PYTHON ?= python3
UV_VERSION := 0.13.9
UV := .uv/bin/uv
VENV := .venv
BIN := $(VENV)/bin
BM := $(BIN)/belarus-monitor
CORE := $(VENV)/.core-stamp
STAMP := $(VENV)/.synced-stamp
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)
# Compile bytecode at install: these machines write no .pyc at run time
# (PYTHONDONTWRITEBYTECODE), so every process would compile pandas & co. again.
export UV_COMPILE_BYTECODE := 1
# ... except for the reports' own set-up: compiling all 5,700 files of the environment
# was 8 s of a fresh clone's `make reports`, most of them never imported by a build.
# There the commands that run the library write the bytecode of what they import, once
# (the build's workers import the stack side by side); `make setup` compiles it all.
WRITE_BYTECODE := env -u PYTHONDONTWRITEBYTECODE

COUNTRY ?=
JOBS ?=
ARGS ?=
# make lab PORT=8899: JupyterLab on that port (fails if it is taken); empty: Jupyter picks.
PORT ?=

.PHONY: help setup reports report watch test lint validate lab kernel bench export clean distclean

help:
	@echo "make reports          build every report into reports/ (sets up .venv first)"
	@echo "make report COUNTRY=DE  build one country profile"
	@echo "make watch            build, then again at every change of the data or a notebook"
	@echo "make test             run the test suite"
	@echo "make lab [PORT=8899]  JupyterLab on notebooks/ with the 'Belarus Monitor' kernel"
	@echo "make validate         check data/ against data/datapackage.json"
	@echo "make export           write the dataset as reports/belarus-monitor.xlsx"
	@echo "make bench            time the naive build against belarus-monitor build"
	@echo "make lint             ruff"

# uv's wheel into .uv/ with the machine's pip (no virtual environment to create first);
# a python3 without pip gets a small venv for it instead.
$(UV):
	$(PYTHON) -m pip install --quiet --disable-pip-version-check --target .uv "uv==$(UV_VERSION)" \
	  || { rm -rf .uv && $(PYTHON) -m venv .uv \
	       && .uv/bin/python -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"; }
	@test -x $@

# The notebooks name the kernel "belarus-monitor": set-up installs it into .venv, so that
# plain papermill, nbconvert and JupyterLab from .venv find it with no flag.
KERNEL_INSTALL := $(BIN)/python -m ipykernel install --sys-prefix --name belarus-monitor \
	--display-name "Belarus Monitor" >/dev/null

# The dependencies of the reports (--inexact: a dev extra already there stays).
$(CORE): pyproject.toml uv.lock | $(UV)
	UV_COMPILE_BYTECODE=0 $(UV) sync --frozen --inexact --python $(PYTHON)
	$(BIN)/python -m compileall -q src
	$(KERNEL_INSTALL)
	@touch $@

# Everything, the dev extra (tests, ruff, PDF and browser checks) included.
$(STAMP): pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --extra dev --python $(PYTHON)
	$(BIN)/python -m compileall -q src
	$(KERNEL_INSTALL)
	@touch $@ $(CORE)

setup: $(STAMP)

reports: $(CORE)
	$(WRITE_BYTECODE) $(BM) build $(if $(JOBS),--jobs $(JOBS)) $(ARGS)

report: $(CORE)
	@test -n "$(COUNTRY)" || { echo "usage: make report COUNTRY=DE" >&2; exit 2; }
	$(WRITE_BYTECODE) $(BM) build --country "$(COUNTRY)" $(ARGS)

# Build, then build again at every change of the data or a notebook (workers kept warm).
watch: $(CORE)
	$(WRITE_BYTECODE) $(BM) build --watch $(ARGS)

test: $(STAMP)
	$(BIN)/python -m pytest $(ARGS)

lint: $(STAMP)
	$(BIN)/ruff check src tests bench notebooks
	$(BIN)/ruff format --check src tests bench

validate: $(CORE)
	$(WRITE_BYTECODE) $(BM) validate

kernel: $(CORE)
	$(KERNEL_INSTALL)

# JupyterLab refuses to start as root without --allow-root (CI and containers run as root).
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)

lab: kernel
	$(WRITE_BYTECODE) $(BIN)/jupyter lab --notebook-dir=notebooks \
		--MappingKernelManager.default_kernel_name=belarus-monitor $(ALLOW_ROOT) \
		$(if $(PORT),--ServerApp.port=$(PORT) --ServerApp.port_retries=0)

export: $(CORE)
	$(WRITE_BYTECODE) $(BM) export --format xlsx --out reports/belarus-monitor.xlsx

bench: $(STAMP)
	$(BIN)/python bench/build_bench.py $(ARGS)

clean:
	rm -rf reports/* .pytest_cache .ruff_cache
	@touch reports/.gitkeep

distclean: clean
	rm -rf $(VENV) .uv

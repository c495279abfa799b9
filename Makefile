# Belarus Monitor: every target sets up what it needs on a fresh machine that has
# only python3 and make. uv (installed into .uv/ from PyPI) creates .venv from uv.lock.

PYTHON ?= python3
UV_VERSION := 0.13.9
UV := .uv/bin/uv
VENV := .venv
BIN := $(VENV)/bin
BM := $(BIN)/belarus-monitor
STAMP := $(VENV)/.synced-stamp
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)
# Compile bytecode at install: these machines write no .pyc at run time
# (PYTHONDONTWRITEBYTECODE), so every process would compile pandas & co. again.
export UV_COMPILE_BYTECODE := 1

COUNTRY ?=
JOBS ?=
ARGS ?=
# make lab PORT=8899: JupyterLab on that port (fails if it is taken); empty: Jupyter picks.
PORT ?=

.PHONY: help setup reports report test lint validate lab kernel bench export clean distclean

help:
	@echo "make reports          build every report into reports/ (sets up .venv first)"
	@echo "make report COUNTRY=DE  build one country profile"
	@echo "make test             run the test suite"
	@echo "make lab [PORT=8899]  JupyterLab on notebooks/ with the 'Belarus Monitor' kernel"
	@echo "make validate         check data/ against data/datapackage.json"
	@echo "make export           write the dataset as reports/belarus-monitor.xlsx"
	@echo "make bench            time the naive build against belarus-monitor build"
	@echo "make lint             ruff"

$(UV):
	$(PYTHON) -m venv .uv
	.uv/bin/python -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

$(STAMP): pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --extra dev --python $(PYTHON)
	$(BIN)/python -m compileall -q src
	@touch $@

setup: $(STAMP)

reports: $(STAMP)
	$(BM) build $(if $(JOBS),--jobs $(JOBS)) $(ARGS)

report: $(STAMP)
	@test -n "$(COUNTRY)" || { echo "usage: make report COUNTRY=DE" >&2; exit 2; }
	$(BM) build --country "$(COUNTRY)" $(ARGS)

test: $(STAMP)
	$(BIN)/python -m pytest $(ARGS)

lint: $(STAMP)
	$(BIN)/ruff check src tests bench notebooks
	$(BIN)/ruff format --check src tests bench

validate: $(STAMP)
	$(BM) validate

kernel: $(STAMP)
	$(BIN)/python -m ipykernel install --sys-prefix --name belarus-monitor --display-name "Belarus Monitor"

# JupyterLab refuses to start as root without --allow-root (CI and containers run as root).
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)

lab: kernel
	$(BIN)/jupyter lab --notebook-dir=notebooks \
		--MappingKernelManager.default_kernel_name=belarus-monitor $(ALLOW_ROOT) \
		$(if $(PORT),--ServerApp.port=$(PORT) --ServerApp.port_retries=0)

export: $(STAMP)
	$(BM) export --format xlsx --out reports/belarus-monitor.xlsx

bench: $(STAMP)
	$(BIN)/python bench/build_bench.py $(ARGS)

clean:
	rm -rf reports/* .pytest_cache .ruff_cache
	@touch reports/.gitkeep

distclean: clean
	rm -rf $(VENV) .uv

# OneWindow — `make run` serves the local embedded stack; `make test` runs every check.
# Both set themselves up (a .venv with the pinned requirements) on first use.
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)
# web/'s node_modules, as web/package-lock.json pins them (Node 20+ and npm on the PATH).
WEB_STAMP := web/node_modules/.installed-$(shell cksum < web/package-lock.json | cut -d' ' -f1)
# The built front end, remade when its sources change (web/dist/portal: what `make run`
# serves and `make package` uploads).
WEB_SOURCES := $(shell find web/src web/public web/index.html web/vite.config.ts web/tsconfig.json web/tsconfig.app.json web/package-lock.json -type f 2>/dev/null | sort)
WEB_BUILT := web/dist/.built-$(shell cat $(WEB_SOURCES) /dev/null | cksum | cut -d' ' -f1)
CHROMIUM ?= /usr/bin/chromium
# Without a CJK font the screenshots show boxes for Chinese (and the layout measures wrong).
CJK_FONT ?= /usr/share/fonts/truetype/wqy/wqy-microhei.ttc
API_PORT ?= 8000
MOTO_PORT ?= 5000
OIDC_PORT ?= 8001
PORTAL_PORT ?= 8080
# How many processes run the tests (pytest-xdist): one per core this machine lets us use —
# a container's CPU quota and the memory count, not only the cores it sees (tests/workers.py);
# one file stays on one process (its fixtures, a stack per module, are built once).
# PYTEST_WORKERS=0: one process. Counted once (the recipe prints what pytest is given).
ifeq ($(origin PYTEST_WORKERS),undefined)
PYTEST_WORKERS := $(shell $(PYTHON) -m tests.workers)
endif
PYTEST_PARALLEL = -n $(PYTEST_WORKERS) --dist loadfile
# A stage of .chalice/config.json (one region's copy), or `all`.
STAGE ?= beijing

.PHONY: setup web browser run test unit integration e2e typecheck lint vitest bench package redrive \
	verify-audit reindex-inbox clock sweep clean

setup: $(STAMP) $(WEB_STAMP)

# Named by the lock's checksum, so no file-time prerequisite: a fresh checkout (newer
# mtimes) sharing node_modules does not reinstall.
$(WEB_STAMP):
	@command -v npm >/dev/null || { echo "OneWindow's web/ needs Node 20+ and npm"; exit 1; }
	cd web && npm ci --no-audit --no-fund
	@touch $@

web: $(WEB_BUILT)

$(WEB_BUILT): $(WEB_STAMP) $(WEB_SOURCES)
	cd web && npm run --silent build -- --logLevel warn
	@rm -f web/dist/.built-* && touch $@

# The browser tests drive Debian's Chromium (never a downloaded one): installed here when
# missing and we are root (as on CI), otherwise the exact command to run.
browser:
	@test -x $(CHROMIUM) -a -e $(CJK_FONT) || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing Chromium and a Chinese font for the browser tests (apt-get)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null; \
	  else \
	    echo "The browser tests need Chromium and a Chinese font: run  sudo apt-get update && sudo apt-get install -y chromium fonts-wqy-microhei"; exit 1; \
	  fi; }
	@test -x $(CHROMIUM) || { echo "Chromium is still missing at $(CHROMIUM)"; exit 1; }

$(STAMP): requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "OneWindow needs Python 3.11, found " + sys.version' 
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check "pip>=23,<26.3" 2>&1 | grep -v "^WARNING: Location" || true
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt 2>&1 | grep -v "^WARNING: Location" || true
	$(BIN)/python -c "import chalice, moto, pynamodb, stdnum, jwt, cfnlint" 
	@rm -f $(VENV)/.installed-* && touch $@

run: setup web
	$(BIN)/python -m infra.local.server --port $(API_PORT) --moto-port $(MOTO_PORT) --oidc-port $(OIDC_PORT) \
	  --portal-port $(PORTAL_PORT)

# statelint on every ASL file; cfn-lint on the stack template and on the deployable
# template that `chalice package --merge-template` makes of the app and infra/, for every
# stage.
lint: setup
	$(BIN)/ruff check --quiet app.py chalicelib infra bench tests
	@for f in statemachines/*.asl.json; do $(BIN)/statelint $$f || exit 1; done
	@$(BIN)/python -m infra.template build/template.json >/dev/null
	$(BIN)/cfn-lint build/template.json
	@$(BIN)/python -m infra.package --stage all >/dev/null
	$(BIN)/cfn-lint build/package/*/sam.json
	@echo "lint: code, state machines, stack template and every stage's deployment template OK"

# mypy.ini says which packages are checked and how strictly.
typecheck: setup
	$(BIN)/mypy

# Everything: lint, types, the front end's unit tests and every tier of tests/. The first
# three side by side (each keeps one core busy), then pytest on every core.
test: setup web browser
	@$(MAKE) --no-print-directory -j 2 lint typecheck vitest
	@echo "pytest: $(PYTEST_WORKERS) worker processes (0: one process)"
	$(BIN)/python -m pytest -q $(PYTEST_PARALLEL)

# The front end's unit tests (vitest, jsdom).
vitest: setup
	cd web && npx vitest run

# The tiers (CONTRIBUTING.md), each a folder of tests/ and each runnable alone.
# The fast loop: no AWS (not even moto), no packaging, no stack, no browser; the Python
# part within 30 s on an idle 2-core machine (`make bench BENCH_ARGS=loop` measures it).
unit: setup
	$(BIN)/python -m pytest -q tests/unit
	cd web && npx vitest run

# The real models, ASL and handlers on moto in-process; the deployable templates built.
integration: setup
	$(BIN)/python -m pytest -q $(PYTEST_PARALLEL) tests/integration tests/packaging

# The local stack as `make run` serves it, over HTTP and in Chromium.
e2e: setup web browser
	$(BIN)/python -m pytest -q $(PYTEST_PARALLEL) tests/e2e tests/browser

bench: setup
	@$(BIN)/python -m bench.run $(BENCH_ARGS)

# Move dead-lettered messages back to their queues (the local stack's, or the stage's
# whose environment is set): docs/runbook.md.
redrive: setup
	@$(BIN)/python -m infra.redrive

# The inbox's filter indexes given to tasks written before them (infra/reindex_inbox.py).
reindex-inbox: setup
	@$(BIN)/python -m infra.reindex_inbox

# The supervision record's chains and seals (infra/verify_audit.py); ARGS="--from … --to …".
verify-audit: setup
	@$(BIN)/python -m infra.verify_audit $(ARGS)

# The local stack's clock: `make clock ARGS="advance 2d"` (or show, reset).
clock: setup
	@$(BIN)/python -m infra.local.clock $(ARGS)

# The overdue sweep now, on the local stack (or the stage whose environment is set).
sweep: setup
	@$(BIN)/python -m infra.sweep

package: setup web
	$(BIN)/python -m infra.package --stage $(STAGE) --require-portal

clean:
	rm -rf build .pytest_cache web/dist

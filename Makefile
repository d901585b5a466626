# The two commands a new user needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip --disable-pip-version-check --quiet

.PHONY: run test test-fast bench compile lint format screenshots clean chromium server-tools ocr-tools

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed-app: pyproject.toml | $(BIN)/python
	$(PIP) install -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(PIP) install -e '.[test]'
	touch $@ $(VENV)/.installed-app

# Byte-compiled once, as an installed package is: the app then starts without compiling its
# sources (even where PYTHONDONTWRITEBYTECODE is set). Only changed files are compiled again.
# The TOML the program reads at start (messages, checklist) is written as JSON too (the TOML
# stays the source).
compile: $(VENV)/.installed-app
	$(BIN)/python -m compileall -q plaintes_tui
	$(BIN)/python -m plaintes_tui.packaged

# The demo's own settings let any local user in (as a supervisor); `make run CONFIG=...` for others.
# ARGS go to the app: `make run ARGS="--agent bjanssens"` works as the demo's Dutch-speaking agent.
CONFIG ?= data/demo.toml
ARGS ?=

run: compile
	$(BIN)/plaintes --config $(CONFIG) demo --if-empty --cases 2000
	$(BIN)/plaintes --config $(CONFIG) $(ARGS)

# The browser test drives the distribution's Chromium: installed here when missing (as root).
chromium:
	@command -v chromium >/dev/null || command -v chromium-browser >/dev/null || \
	  { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } || \
	  echo "Chromium is missing: install it (Debian: apt-get install chromium) for the browser test."

# The deployment test drives the real sudo, sshd and tmux: installed here when missing (as root).
server-tools:
	@command -v sudo >/dev/null && [ -x /usr/sbin/sshd ] && command -v tmux >/dev/null || \
	  { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	      sudo openssh-server openssh-client tmux; } || \
	  echo "sudo, openssh-server or tmux is missing: the deployment test needs them (as root)."

# Reading scanned letters needs Tesseract with its French, Dutch and German: installed here when
# missing (as root).
ocr-tools:
	@command -v tesseract >/dev/null && tesseract --list-langs 2>/dev/null | grep -q '^deu$$' || \
	  { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	      tesseract-ocr tesseract-ocr-fra tesseract-ocr-nld tesseract-ocr-deu; } || \
	  echo "Tesseract is missing: scan import and its tests need it (Debian: apt-get install tesseract-ocr tesseract-ocr-fra tesseract-ocr-nld tesseract-ocr-deu)."

test: $(VENV)/.installed-test chromium server-tools ocr-tools
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/pytest -n auto

# While working: the checks and the quick tests only (CI runs `make test`, every test).
test-fast: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/pytest -n auto -m "not slow"

bench: $(VENV)/.installed-test compile ocr-tools
	$(BIN)/python -m bench

format: $(VENV)/.installed-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

screenshots: $(VENV)/.installed-test
	$(BIN)/python screenshots/make_screenshots.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache

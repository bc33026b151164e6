# Dossier — the two commands a new user needs are `make run` and `make test`.
SHELL := /bin/bash
DATA ?= data
PEOPLE ?= 20000
PORT ?= 8080
SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)
# System libraries Dossier links against, plus the sqlite3 shell the benchmarks compare with.
DEPS := libsqlite3-dev libssl-dev libarchive-dev pkg-config sqlite3 time libarchive-tools openssl python3-venv curl
# What the tests add: a real browser for the admin pages (with Chinese fonts),
# wrk for the HTTP load benchmark, and LibreOffice (Calc, without a display) to open the report
# workbooks as people's spreadsheet software does.
TEST_DEPS := chromium chromium-driver fonts-wqy-microhei wrk libreoffice-calc-nogui
# Python tools from PyPI: bagit.py (the Library of Congress BagIt tool) for the inspector's
# guide, selenium for the browser test, schemathesis for the API, openpyxl for the report
# workbooks.
TOOLS := .venv-tools
TOOL_PACKAGES := bagit selenium schemathesis openpyxl
# The stamp is named after the package list, so adding a package installs it in a venv an
# earlier list already built (in CI's cache and in old checkouts) instead of finding it done.
empty :=
TOOLS_STAMP := $(TOOLS)/.installed-$(subst $(empty) ,-,$(TOOL_PACKAGES))

.PHONY: deps test-deps build run test lint format bench-import bench-asof bench-http bench-backup crash-test

## Install the Debian packages Dossier needs, if any is missing.
deps:
	@$(MAKE) --no-print-directory install-packages PACKAGES="$(DEPS)"

test-deps: deps
	@$(MAKE) --no-print-directory install-packages PACKAGES="$(TEST_DEPS)"

install-packages:
	@missing=""; for p in $(PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "Installing:$$missing"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

## Build the dossier command (optimised).
build: deps
	swift build -c release --product dossier

## Create ./data with a demo province (users with passwords, a signing key) if it does not
## exist, print the staffing overview, then serve the web pages and the API on port 8080.
run: build
	@if [ ! -e "$(DATA)/dossier.sqlite" ]; then \
		echo "Creating a demo province in $(DATA) ($(PEOPLE) people) …"; \
		.build/release/dossier demo --data "$(DATA)" --people $(PEOPLE) --seed 1 --passwords && \
		.build/release/dossier keys generate --data "$(DATA)" --alg sm2; \
	fi
	.build/release/dossier quota overview --data "$(DATA)"
	@echo "Sign in at http://127.0.0.1:$(PORT)/admin with a user and password from $(DATA)/demo-passwords.txt."
	.build/release/dossier serve --data "$(DATA)" --port $(PORT)

$(TOOLS_STAMP):
	python3 -m venv $(TOOLS) && $(TOOLS)/bin/pip install --quiet $(TOOL_PACKAGES) && touch $@

## Check formatting, build everything and run every test: the Swift tests, the README's tour
## command by command, the admin pages in a real browser, and schemathesis against the API.
test: test-deps lint $(TOOLS_STAMP)
	BAGIT="$(CURDIR)/$(TOOLS)/bin/bagit.py" REPORT_PYTHON="$(CURDIR)/$(TOOLS)/bin/python" swift test
	python3 Tests/tour/readme_tour.py .build/debug/dossier
	Tests/browser/run.sh .build/debug/dossier $(TOOLS)/bin/python
	Tests/api/schemathesis.sh .build/debug/dossier $(TOOLS)/bin/schemathesis
	DOSSIER_BIN=.build/debug/dossier scripts/crash-test.sh 1 5000

lint:
	swift format lint --strict --recursive Sources Tests Policies Package.swift

format:
	swift format --in-place --recursive Sources Tests Policies Package.swift

## Import benchmark: Dossier's import against the sqlite3 shell's .import (N rows, default 1,000,000).
bench-import: build
	scripts/bench-import.sh $(N)

## As-of headcount benchmark: every organisation's headcount as of a date over N demo people.
bench-asof: build
	scripts/bench-asof.sh $(N)

## Backup benchmark: dossier backup against sqlite3 .backup plus bsdtar of the blobs (N people).
bench-backup: build
	scripts/bench-backup.sh $(N)

## Crash harness: 30 kills at random moments over six kinds of write, each followed by dossier check.
crash-test: build
	scripts/crash-test.sh

## HTTP load benchmark: wrk on person look-ups and /healthz over N demo people (default 1,000,000).
bench-http: build test-deps
	scripts/bench-http.sh $(N)

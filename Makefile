# Dossier — the two commands a new user needs are `make run` and `make test`.
SHELL := /bin/bash
DATA ?= data
PEOPLE ?= 20000
SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)
# System libraries Dossier links against, plus the sqlite3 shell the benchmarks compare with.
DEPS := libsqlite3-dev libssl-dev libarchive-dev pkg-config sqlite3 time libarchive-tools openssl python3-venv
# bagit.py (the Library of Congress BagIt tool, from PyPI) for the inspector's-guide test.
TOOLS := .venv-tools

.PHONY: deps build run test lint format bench-import bench-asof

## Install the Debian packages Dossier needs, if any is missing.
deps:
	@missing=""; for p in $(DEPS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "Installing:$$missing"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

## Build the dossier command (optimised).
build: deps
	swift build -c release --product dossier

## Create ./data with a demo province if it does not exist, then print the staffing overview.
run: build
	@if [ ! -e "$(DATA)/dossier.sqlite" ]; then \
		echo "Creating a demo province in $(DATA) ($(PEOPLE) people) …"; \
		.build/release/dossier demo --data "$(DATA)" --people $(PEOPLE) --seed 1; \
	fi
	.build/release/dossier quota overview --data "$(DATA)"

$(TOOLS)/bin/bagit.py:
	python3 -m venv $(TOOLS) && $(TOOLS)/bin/pip install --quiet bagit

## Check formatting, build everything and run every test.
test: deps lint $(TOOLS)/bin/bagit.py
	BAGIT="$(CURDIR)/$(TOOLS)/bin/bagit.py" swift test

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

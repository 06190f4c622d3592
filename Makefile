# winaudit: the two commands the README starts with.
#   make demo   install what is missing, build, start the sample lab fleet and audit it
#   make test   install what is missing, build, run the whole test suite (what .ci/run calls)
#   make man    the man pages generated from the command definitions, in .build/man (man .build/man/winaudit.1)

SWIFT ?= swift
LAB_DIR ?= .build/lab
PSVENV ?= .build/psvenv
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_PACKAGES := libssh-dev libsqlite3-dev openssh-server openssh-client pkg-config python3-venv
# The HTML report test renders the page in headless Chromium (Tests/WinAuditTests/HTMLReportTests.swift).
APT_PACKAGES += chromium

.PHONY: demo test lint deps psparse build lab-up lab-down audit man

deps:
	@missing=""; for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	fi

# The tree-sitter PowerShell grammar that the tests use to check every script we can emit.
psparse: deps
	@[ -x $(PSVENV)/bin/python ] && $(PSVENV)/bin/python -c 'import tree_sitter_powershell' 2>/dev/null || { \
	  python3 -m venv $(PSVENV) && $(PSVENV)/bin/pip install -q 'tree-sitter>=0.23' 'tree-sitter-powershell>=0.25'; }

build: deps
	$(SWIFT) build

lab-up: build
	.build/debug/winlab up --fleet Samples/lab/fleet.yml --dir $(LAB_DIR)

# Nothing to stop before the first build (a fresh clone has no winlab yet).
lab-down:
	@if [ -x .build/debug/winlab ]; then .build/debug/winlab down --dir $(LAB_DIR) || true; fi

# The sample fleet has drift on purpose (exit 1) and one host whose login is not elevated (exit 4): the audit ran
# unless winaudit refused its input (exit 2) or crashed.
audit:
	.build/debug/winaudit audit --inventory $(LAB_DIR)/inventory.yml; code=$$?; \
	echo "winaudit exit code: $$code (0 compliant, 1 drift, 2 bad input, 4 a host could not be audited)"; \
	[ $$code -eq 0 ] || [ $$code -eq 1 ] || [ $$code -eq 4 ]

demo: lab-down lab-up audit

# swift-argument-parser's generate-manual plugin, on the debug build `make build` made.
man: build
	$(SWIFT) package plugin generate-manual --configuration debug
	@mkdir -p .build/man && cp .build/plugins/GenerateManual/outputs/*/*.1 .build/man/ && ls .build/man

lint:
	$(SWIFT) format lint --strict -r Sources Tests

# The release build last: the README's usage starts with it, and Swift's optimizer has crashed on code that builds and
# passes every test in debug (twice so far), so a broken release build fails the test command too.
test: deps psparse lint
	$(SWIFT) build
	PSPARSE_PYTHON=$(CURDIR)/$(PSVENV)/bin/python $(SWIFT) test
	$(SWIFT) build -c release

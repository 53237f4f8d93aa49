# The two commands: `make start` and `make test` (see README.md).
SHELL := /bin/bash
NPM_INSTALL := npm install --no-audit --no-fund --loglevel=error

.PHONY: start test install build check clean bench dataset

start: build
	node packages/server/bin/accord.mjs serve

test: install
	bash scripts/test.sh

install: node_modules/.install-stamp

node_modules/.install-stamp: package.json package-lock.json packages/*/package.json
	$(NPM_INSTALL)
	@touch $@

build: install
	npm run build

check: install
	npx biome ci --colors=off .
	npm run typecheck

bench: build
	npm run bench

dataset: install
	npm run dataset

clean:
	rm -rf packages/*/dist node_modules/.install-stamp

# Two commands for a newcomer: `make run` and `make test`. Everything else is a helper of those.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
export DATABASE_URL ?= sqlite:///$(CURDIR)/instance/odop.db

VENDOR := web/static/vendor
VENDOR_STAMP := $(VENDOR)/.stamp
MO := web/translations/hi/LC_MESSAGES/messages.mo

.PHONY: install assets browser translations run test lint bench clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $@

install: $(STAMP) $(VENDOR_STAMP) $(MO)

# Browser packages come from npm (package-lock.json) and are served by the app itself.
$(VENDOR_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	rm -rf $(VENDOR) && mkdir -p $(VENDOR)/bpmn-js $(VENDOR)/dmn-js $(VENDOR)/swagger-ui $(VENDOR)/chart.js $(VENDOR)/form-js
	cp node_modules/bpmn-js/dist/bpmn-navigated-viewer.production.min.js node_modules/bpmn-js/dist/bpmn-modeler.production.min.js $(VENDOR)/bpmn-js/
	cp -r node_modules/bpmn-js/dist/assets/. $(VENDOR)/bpmn-js/
	cp node_modules/bpmn-js-properties-panel/dist/bpmn-js-properties-panel.umd.js node_modules/@bpmn-io/properties-panel/dist/assets/properties-panel.css $(VENDOR)/bpmn-js/
	cp node_modules/dmn-js/dist/dmn-modeler.production.min.js $(VENDOR)/dmn-js/
	cp -r node_modules/dmn-js/dist/assets/. $(VENDOR)/dmn-js/
	cp node_modules/swagger-ui-dist/swagger-ui-bundle.js node_modules/swagger-ui-dist/swagger-ui.css $(VENDOR)/swagger-ui/
	cp node_modules/chart.js/dist/chart.umd.min.js $(VENDOR)/chart.js/
	cp node_modules/@bpmn-io/form-js/dist/form-editor.umd.js node_modules/@bpmn-io/form-js/dist/form-viewer.umd.js $(VENDOR)/form-js/
	cp -r node_modules/@bpmn-io/form-js/dist/assets/. $(VENDOR)/form-js/
	touch $@

assets: $(VENDOR_STAMP)

$(MO): web/translations/hi/LC_MESSAGES/messages.po $(STAMP)
	$(BIN)/pybabel compile -d web/translations

# After changing texts: refresh the catalogue, then translate the new entries of messages.po.
translations: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -o web/translations/messages.pot web
	$(BIN)/pybabel update -i web/translations/messages.pot -d web/translations

# Browser tests drive Debian's Chromium (Playwright's own download does not work on these machines).
browser:
	@test -x /usr/bin/chromium || (apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium fonts-lohit-deva)

run: install
	$(BIN)/odop db upgrade
	$(BIN)/odop deploy
	$(BIN)/odop demo load
	$(BIN)/odop simulate --applications 150 --days 120 --if-empty
	ODOP_SCHEDULER=1 ODOP_SECURE_COOKIES=0 $(BIN)/odop serve --host 127.0.0.1 --port 5000

lint: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports

test: lint browser
	$(BIN)/python -m pytest -n 2

bench: install
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) $(VENDOR) node_modules instance .pytest_cache test-artifacts

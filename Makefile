# Set-up and the two jobs README.md gives: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_DB ?= sqlite:///talentboard-demo.db
TALENTBOARD_TEST_POSTGRES_URL ?= postgresql://postgres@127.0.0.1:5432/test
export TALENTBOARD_TEST_POSTGRES_URL

.PHONY: setup run lint test bench clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev,cluster]"
	touch $@

# Front-end assets come from npm (package-lock.json pins them) and are copied into the
# package's static folder, which git ignores; nothing is fetched when the app runs. The
# fonts (Arimo, metric-compatible with Arial, and Cousine; SIL Open Font License 1.1,
# whose text goes with them) set both the web pages and the PDF report.
WEB_STATIC := src/talentboard/web/static
FONTSOURCE := node_modules/@fontsource
$(WEB_STATIC)/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	rm -rf $(WEB_STATIC)/nhsuk $(WEB_STATIC)/vendor
	mkdir -p $(WEB_STATIC)/nhsuk $(WEB_STATIC)/vendor/fonts
	cp node_modules/nhsuk-frontend/dist/nhsuk/nhsuk-frontend.min.css \
	   node_modules/nhsuk-frontend/dist/nhsuk/nhsuk-frontend.min.js $(WEB_STATIC)/nhsuk/
	cp -R node_modules/nhsuk-frontend/dist/nhsuk/assets/. $(WEB_STATIC)/nhsuk/
	cp node_modules/vega/build/vega.min.js node_modules/vega-lite/build/vega-lite.min.js \
	   node_modules/vega-embed/build/vega-embed.min.js \
	   node_modules/vega-interpreter/build/vega-interpreter.js \
	   node_modules/axe-core/axe.min.js $(WEB_STATIC)/vendor/
	cp $(FONTSOURCE)/arimo/files/arimo-latin-400-normal.woff2 \
	   $(FONTSOURCE)/arimo/files/arimo-latin-ext-400-normal.woff2 \
	   $(FONTSOURCE)/arimo/files/arimo-latin-700-normal.woff2 \
	   $(FONTSOURCE)/arimo/files/arimo-latin-ext-700-normal.woff2 \
	   $(FONTSOURCE)/cousine/files/cousine-latin-400-normal.woff2 $(WEB_STATIC)/vendor/fonts/
	cp $(FONTSOURCE)/arimo/LICENSE $(WEB_STATIC)/vendor/fonts/arimo-OFL.txt
	cp $(FONTSOURCE)/cousine/LICENSE $(WEB_STATIC)/vendor/fonts/cousine-OFL.txt
	touch $@

setup: $(BIN)/.installed $(WEB_STATIC)/.installed

run: setup
	rm -f talentboard-demo.db talentboard-demo.db-wal talentboard-demo.db-shm
	$(BIN)/talentboard init --db $(DEMO_DB)
	$(BIN)/talentboard demo --db $(DEMO_DB) --scale national --seed 1
	$(BIN)/talentboard stats --db $(DEMO_DB) --at demo
	$(BIN)/talentboard users demo --db $(DEMO_DB)
	$(BIN)/talentboard serve --db $(DEMO_DB) --host 127.0.0.1 --port 8000

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: lint
	$(BIN)/pytest

bench: setup
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) talentboard-demo.db* .pytest_cache .mypy_cache .ruff_cache

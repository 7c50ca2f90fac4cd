# Two entry points for a fresh machine (see README.md): `make run` and `make test`.
# Python packages install into .venv from the package registry; system libraries (pango for
# PDFs; Chromium, poppler and PostgreSQL for the tests) come from the distribution
# (scripts/install-system).

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: run test lint typecheck unit system system-test bench mutate clean pose-model test-photo

run: $(VENV)/.installed system pose-model
	$(BIN)/lumbar serve

test: $(VENV)/.installed-test system-test pose-model test-photo lint typecheck unit

lint: $(VENV)/.installed-test
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/ruff format --check src tests bench scripts
	$(BIN)/lint-imports --no-cache   # the layers' contract, in pyproject.toml

typecheck: $(VENV)/.installed-test
	$(BIN)/mypy

# The storage and server tests run on SQLite and on a throwaway PostgreSQL cluster.
unit: $(VENV)/.installed-test pose-model test-photo
	./scripts/with-postgres $(BIN)/pytest

# Mutation testing (not part of `make test`: about 20 minutes on two cores). Each mutant is
# one token of the domain, web/authorization.py or web/guard.py changed; a survivor is
# listed with its place. The score is in bench/README.md.
mutate: $(VENV)/.installed-test
	$(BIN)/python scripts/mutate.py

# The camera coach's pose model (issue #21): MediaPipe Pose from the npm registry, checked
# against its hashes, into web/static/vendor/mediapipe-pose/ (not in git). Does nothing when
# the files are there and match, so it runs on every `make run` and `make test`.
pose-model: $(VENV)/.created
	$(BIN)/python scripts/fetch-pose-model

# The photograph of a person the camera tests and bench/camera.py turn into a fake camera:
# one file of the scikit-image wheel (not installed), into .cache/test-photos/.
test-photo: $(VENV)/.created
	$(BIN)/python scripts/fetch-test-photo

system:
	./scripts/install-system

system-test:
	./scripts/install-system test

bench: $(VENV)/.installed-test pose-model test-photo
	$(BIN)/python bench/run.py
	$(BIN)/python bench/web.py   # needs wrk (apt-get install wrk)
	./scripts/with-postgres $(BIN)/python bench/clinic.py   # accounts mode, SQLite and PostgreSQL
	$(BIN)/python bench/figures.py
	$(BIN)/python bench/player.py   # needs Chromium (scripts/install-system test)
	$(BIN)/python bench/camera.py   # needs Chromium, the pose model and the test photo
	$(BIN)/python bench/phone.py   # needs root (a network namespace), wrk and ip

$(VENV)/.created:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	touch $@

$(VENV)/.installed: $(VENV)/.created pyproject.toml
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.created pyproject.toml
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache .hypothesis .cache

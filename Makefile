# Galtea Admin. `make demo` runs the product; `make test` runs every test.
# Both set up everything they need on a fresh machine.

# The distribution's CPython 3.11 when the machine has one: Debian builds it with profile-guided
# optimisation, and it runs the admin about 15 % faster than a plain source build
# (bench/README.md). Otherwise, or when it cannot make a virtualenv, whichever python3 is first.
PYTHON ?= $(firstword $(wildcard /usr/bin/python3.11) python3)
VENV := .venv
BIN := $(VENV)/bin
RUNTIME := $(VENV)/.runtime-installed
DEV := $(VENV)/.dev-installed
SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)
# The tests that touch the admin's own database (auth, audit, roles, saved views, columns, jobs),
# run a second time against PostgreSQL.
POSTGRES_TESTS := tests/accounts/test_sign_in.py tests/accounts/test_sign_in_lockout.py \
	tests/accounts/test_permissions.py tests/accounts/test_roles.py tests/audit tests/preferences \
	tests/jobs/test_bulk_edit_job.py tests/phone_connections/test_bulk_edit.py \
	tests/jobs/test_all_matching.py

.PHONY: demo serve test bench lint format chromium venv clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV) && python3 -m venv $(VENV); }

$(RUNTIME): requirements.txt | $(BIN)/python
	$(BIN)/pip install --disable-pip-version-check -q -r requirements.txt
	touch $@

$(DEV): requirements.txt requirements-dev.txt $(RUNTIME)
	$(BIN)/pip install --disable-pip-version-check -q -r requirements-dev.txt
	touch $@

venv: $(DEV)

chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
		echo "Installing Debian's chromium for the browser tests"; \
		$(SUDO) apt-get update -q && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q chromium; \
	fi

demo: $(RUNTIME)
	bin/demo

# Production: gunicorn, several workers of several threads, WhiteNoise static files, DEBUG
# off. Settings come from the environment (DJANGO_SECRET_KEY and GALTEA_API_KEY are
# required); see README. Behind a reverse proxy: FORWARDED_ALLOW_IPS is its address (gunicorn
# then believes its X-Forwarded-Proto) and DJANGO_TRUSTED_PROXIES=1 has the sign-in lock-out
# count the client address it puts in X-Forwarded-For.
serve: $(RUNTIME)
	DJANGO_DEBUG=false $(BIN)/python manage.py check --deploy
	DJANGO_DEBUG=false $(BIN)/python manage.py migrate --noinput
	DJANGO_DEBUG=false $(BIN)/python manage.py collectstatic --noinput -v0
	DJANGO_DEBUG=false PY=$(BIN)/python exec bin/with-workers $(BIN)/gunicorn galtea_admin.wsgi \
		--config python:galtea_admin.gunicorn_hooks \
		--bind $${BIND:-127.0.0.1:8000} --workers $${WEB_CONCURRENCY:-4} \
		--worker-class gthread --threads $${GUNICORN_THREADS:-8} \
		--access-logfile - --forwarded-allow-ips "$${FORWARDED_ALLOW_IPS:-127.0.0.1}"

# Two processes, a test file each at a time (a file's fixtures stay in one process).
test: lint chromium
	$(BIN)/pytest -n 2 --dist loadfile
	@echo "Database tests again, on PostgreSQL:"
	bin/with-postgres $(BIN)/pytest -q $(POSTGRES_TESTS)

# Benchmarks (not tests): prints a table and writes bench/results.md. See bench/README.md.
bench: $(RUNTIME)
	$(BIN)/python bench/run.py

lint: $(DEV)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(DEV)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache

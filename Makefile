# Two commands for a newcomer: `make demo` and `make test`. Everything else is optional.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell sha1sum requirements.txt | cut -c1-12)

# The demo runs on embedded defaults: SQLite under var/, a file-system Celery broker,
# emails written to var/mail/. Nothing else needs to be running. `make demo PORT=8080` serves
# on another port (links in the demo's emails follow it unless SITE_URL is set).
PORT     ?= 8000
SITE_URL ?= http://127.0.0.1:$(PORT)
DEMO_ENV := DEBUG=1 DEMO_MODE=1 SITE_URL=$(SITE_URL)

.PHONY: install demo serve test test-postgres test-integration check-deploy messages check clean bench bench-reminders fault-bench

$(STAMP): requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit("Python 3.11+ is required" if sys.version_info < (3, 11) else 0)'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	@rm -f $(VENV)/.installed-*
	@touch $@

install: $(STAMP)

demo: install
	@mkdir -p var
	$(DEMO_ENV) $(BIN)/python manage.py migrate --noinput
	$(DEMO_ENV) $(BIN)/python manage.py load_demo
	@$(MAKE) --no-print-directory serve

# Web server, Celery worker and beat together; Ctrl-C stops all three.
serve:
	@echo "→ http://127.0.0.1:$(PORT)/  (Ctrl-C dừng tất cả / stops everything)"
	@$(DEMO_ENV) bash -c 'trap "trap - INT TERM EXIT; kill 0 2>/dev/null" INT TERM EXIT; \
	  $(BIN)/celery -A config worker --loglevel=INFO --pool=solo & \
	  $(BIN)/celery -A config beat --loglevel=INFO & \
	  $(BIN)/python manage.py runserver 127.0.0.1:$(PORT) --noreload & \
	  wait'

test: install
	$(BIN)/python -m pytest -q -m "not integration and not browser"

# The same suite on PostgreSQL (DATABASE_URL must point at a server you may create test DBs on).
test-postgres: install
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/qlcb} $(BIN)/python -m pytest -q -m "not integration and not browser"

# A real Celery worker on Redis delivering a reminder to a local SMTP sink (needs PostgreSQL + Redis).
test-integration: install
	RUN_INTEGRATION=1 CELERY_TASK_ALWAYS_EAGER=0 \
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/qlcb} \
	CELERY_BROKER_URL=$${CELERY_BROKER_URL:-redis://127.0.0.1:6379/15} \
	$(BIN)/python -m pytest -q -m integration tests/integration

# Django's deployment checklist under production settings (HTTPS behind a TLS proxy, no
# DEBUG, no DEMO_MODE, two-factor authentication on); any warning fails. A throw-away key.
CHECK_DEPLOY_ENV := DEBUG=0 DEMO_MODE=0 ALLOWED_HOSTS=qlcb.example.gov.vn \
	CSRF_TRUSTED_ORIGINS=https://qlcb.example.gov.vn SITE_URL=https://qlcb.example.gov.vn BEHIND_TLS_PROXY=1

check-deploy: install
	$(CHECK_DEPLOY_ENV) SECRET_KEY=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))') \
	  $(BIN)/python manage.py check --deploy --fail-level WARNING

messages: install
	DEBUG=1 $(BIN)/python manage.py makemessages -l vi -l en --no-obsolete
	$(BIN)/python locale/complete_vi.py
	msgcat -o locale/vi/LC_MESSAGES/django.po locale/vi/LC_MESSAGES/django.po
	DEBUG=1 $(BIN)/python manage.py compilemessages --ignore=.venv

clean:
	rm -rf var

# Benchmarks (bench/README.md): the ministry-scale data set (generated once into its own PostgreSQL
# database, reused while its parameters stay the same, migrated each run), the pages, the approval
# cycle against bare viewflow, and the import of N employees (a scratch database it recreates).
# Figures go to bench/README.md. BENCH_QUICK=1 is a smoke run (small sizes, own databases, a few
# minutes; figures to var/bench/quick.md). Needs PostgreSQL and Redis (db 8: the pages' Celery worker).
BENCH_QUICK ?= 0
ifeq ($(BENCH_QUICK),1)
BENCH_PEOPLE    ?= 1000
BENCH_EMPLOYEES ?= 1000
BENCH_SAMPLES   ?= 5
BENCH_CYCLES    ?= 4
BENCH_SCALE_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/qlcb_bench_scale_quick
BENCH_DATABASE_URL       ?= postgres://postgres@127.0.0.1:5432/qlcb_bench_quick
else
BENCH_PEOPLE    ?= 100000
BENCH_EMPLOYEES ?= 100000
BENCH_SAMPLES   ?= 30
BENCH_CYCLES    ?= 20
BENCH_SCALE_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/qlcb_bench_scale
BENCH_DATABASE_URL       ?= postgres://postgres@127.0.0.1:5432/qlcb_bench
endif
BENCH_ENV := BENCH_QUICK=$(BENCH_QUICK) BENCH_SCALE_DATABASE_URL=$(BENCH_SCALE_DATABASE_URL)

bench: install
	$(BENCH_ENV) nice -n 10 $(BIN)/python bench/scale_data.py --people $(BENCH_PEOPLE)
	$(BENCH_ENV) $(BIN)/python bench/pages.py --samples $(BENCH_SAMPLES) $(if $(filter 1,$(BENCH_QUICK)),--budget 5)
	$(BENCH_ENV) $(BIN)/python bench/cycle.py --cycles $(BENCH_CYCLES)
	$(BENCH_ENV) DEBUG=1 $(BIN)/python bench/import_bench.py --employees $(BENCH_EMPLOYEES) \
	  --database-url $(BENCH_DATABASE_URL)

# The reminders of issue #10 part 6 (bench/reminders.py): the digest sweep (300 approvers, 20,000
# overdue approvals, a real worker on Redis db 12, an SMTP sink) and the nightly due refresh over
# REMIND_PEOPLE people, in qlcb_remindbench. Not in CI. Figures to bench/README.md.
REMIND_PEOPLE ?= 100000
bench-reminders: install
	nice -n 10 $(BIN)/python bench/reminders.py --people $(REMIND_PEOPLE)

# The fault suite (kill -9, broker, two beats, SMTP, database faults) many times over:
# `make fault-bench FAULT_REPEATS=20` (needs PostgreSQL, Redis and redis-server; not in CI).
FAULT_REPEATS ?= 20
fault-bench: install
	bench/faults.sh $(FAULT_REPEATS)

#!/usr/bin/env bash
# Second command of the README: set everything up, check style and types, run every test.
# The tests start their own Kafka and database once per session, on ports apart from
# a running `mgi stack` (see conftest.py at the root).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
echo "== ruff"; .venv/bin/ruff check . && .venv/bin/ruff format --check .
echo "== mypy"; .venv/bin/mypy
echo "== pytest"; exec .venv/bin/pytest "$@"

#!/usr/bin/env bash
# First command of the README: set everything up, then run the main job.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
exec .venv/bin/mgi demo "$@"

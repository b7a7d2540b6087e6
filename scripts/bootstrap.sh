#!/usr/bin/env bash
# Installs everything the project needs on a fresh machine; safe to run again.
# Python packages go into .venv (uv, from the one lock file); Kafka's jars come from
# Maven Central into ~/.m2 (Kafka, and mongo-java-server as the local MongoDB-wire database),
# and the database launcher is compiled with javac into ~/.cache/mgi on first use.
set -euo pipefail
cd "$(dirname "$0")/.."

UV_VERSION="0.13.8"

need() {
  command -v "$1" >/dev/null 2>&1 || { echo "bootstrap: '$1' is missing: $2" >&2; exit 1; }
}
need python3 "install Python 3.11"
need java "install a Java 17 runtime (Debian: apt-get install openjdk-17-jre-headless)"
need mvn "install Maven (Debian: apt-get install maven)"
need javac "install a Java 17 JDK (Debian: apt-get install openjdk-17-jdk-headless)"

# Debian's docker-compose checks docker-compose.yml offline in the tests (no engine needed).
if ! command -v docker-compose >/dev/null 2>&1; then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
    echo "bootstrap: installing docker-compose (Debian package) for the offline compose check"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-compose >/dev/null
  else
    echo "bootstrap: docker-compose not installed; the compose file check will be skipped" >&2
  fi
fi

# Debian's Chromium opens the published HTML profiles in publishing's browser tests (driven by
# the playwright package; playwright's own browser downloads are never used).
if [[ ! -x /usr/bin/chromium ]]; then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
    echo "bootstrap: installing chromium (Debian package) for the portal page tests"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq --no-install-recommends chromium >/dev/null 2>&1 \
      || { apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium >/dev/null; }
  else
    echo "bootstrap: /usr/bin/chromium missing; the portal page tests will be skipped" >&2
  fi
fi

if ! command -v uv >/dev/null 2>&1 || [[ "$(uv --version | cut -d' ' -f2)" != "$UV_VERSION" ]]; then
  echo "bootstrap: installing uv $UV_VERSION"
  python3 -m pip install --quiet --disable-pip-version-check "uv==$UV_VERSION"
fi
uv sync --all-packages --frozen --quiet

# Warm the caches now so the first `stack up` only starts processes.
.venv/bin/python -m mgi_cli.prepare

#!/usr/bin/env bash
# Install what the tests need (Debian's chromium, java, PostgreSQL, nginx and Apache, the npm packages,
# the Python test extras) and run the whole test suite. Arguments go to pytest.
set -uo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
command -v rsync >/dev/null 2>&1 || missing+=(rsync)
command -v npm >/dev/null 2>&1 || missing+=(npm)
[ -x /usr/sbin/nginx ] || missing+=(nginx)
[ -x /usr/sbin/apache2 ] || missing+=(apache2)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing Debian packages: ${missing[*]}"
  as_root apt-get update -qq || exit 1
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null || exit 1
fi

if [ -f package.json ]; then
  if [ -f package-lock.json ]; then npm ci --silent --no-audit --no-fund || exit 1
  else npm install --silent --no-audit --no-fund || exit 1; fi
fi

if [ ! -x .venv/bin/python ]; then python3 -m venv .venv || exit 1; fi
.venv/bin/python -m pip install --quiet --upgrade pip || exit 1
.venv/bin/python -m pip install --quiet -e '.[test]' || exit 1

.venv/bin/python -m pytest -q -p no:cacheprovider "$@"
status=$?
if [ "$status" = 5 ]; then
  echo "pytest collected no tests"
  status=0
fi
exit "$status"

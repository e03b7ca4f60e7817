#!/usr/bin/env bash
# Set up sitegen on a fresh machine and build the example sites into build/.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e .
.venv/bin/sitegen build "$@"
echo
echo "The example sites are in build/. Use sitegen with:  . .venv/bin/activate"

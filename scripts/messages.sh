#!/bin/sh
# Refresh the Swedish message catalogue from the _("...") calls in sitegen/: new messages
# get an empty msgstr to fill in (tests/test_messages.py fails until they have one), messages
# no longer in the code are dropped. Sorted and without line numbers, so that the file only
# changes where messages change.
set -eu
cd "$(dirname "$0")/.."
template=$(mktemp --suffix=.pot)
trap 'rm -f "$template"' EXIT
pybabel -q extract --no-default-keywords -k _ -k N_ --no-location --sort-output --no-wrap \
    --project=sitegen -o "$template" sitegen
pybabel -q update -i "$template" -d sitegen/locale -D sitegen -l sv \
    --init-missing --no-fuzzy-matching --ignore-obsolete --no-wrap --omit-header

"""Every text of the desk's pages has its Swedish translation (the desk speaks Swedish by
default; a missing one would show an English sentence to a Swedish editor)."""
from __future__ import annotations

import re
from pathlib import Path

from sitegen.feedback.desk.texts import SV, translator

DESK = Path(__file__).resolve().parents[2] / "sitegen" / "feedback" / "desk"
# Templates call the per-request translator ``_``, the Python modules ``t``: the run-wide
# catalogue's extractor looks for ``_`` in Python files only.
CALL = re.compile(r"""(?<![\w.])[_t]\(\s*(?:"((?:[^"\\]|\\.)*)"|'([^']*)')\s*\)""")
PY_FILES = ["views.py", "publish.py"]


def texts_used() -> set[str]:
    found = set()
    for path in list((DESK / "templates").glob("*.html")) + [DESK / f for f in PY_FILES]:
        for double, single in CALL.findall(path.read_text("utf-8")):
            found.add(double or single)
    return found


def test_every_desk_text_has_a_swedish_translation():
    missing = sorted(texts_used() - set(SV))
    assert missing == []


def test_publish_outcomes_are_translated():

    source = (DESK / "publish.py").read_text("utf-8")
    for message in re.findall(r'"([A-Z][^"]*ask the operator\.)"', source):
        assert translator("sv")(message) != message


def test_english_is_the_id_itself():
    assert translator("en")("Review comments") == "Review comments"
    assert translator("sv")("Review comments") == "Granska kommentarer"

"""Which sites a run takes: a site named on the command line that is not there is one error
that names the sites there are, and the one a misspelt name most likely means."""
from __future__ import annotations

from testkit import NOW, page, run_sitegen


def test_a_misspelt_site_names_the_nearest(make_site):
    content = make_site({"index.md": page("Start")}, name="stadsarkiv")
    result = run_sitegen("check", "stadsarkv", "--content", str(content), "--now", NOW)
    assert result.status == 1
    assert "error: no site named 'stadsarkv' (did you mean 'stadsarkiv'?) (sites: stadsarkiv)" in result.stderr, \
        result.stderr


def test_a_site_like_no_other_only_lists_the_sites(make_site):
    content = make_site({"index.md": page("Start")}, name="stadsarkiv")
    result = run_sitegen("check", "kulturskolan", "--content", str(content), "--now", NOW)
    assert result.status == 1
    assert "error: no site named 'kulturskolan' (sites: stadsarkiv)" in result.stderr, result.stderr

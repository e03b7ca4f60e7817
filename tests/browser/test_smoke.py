"""The example sites open in a real browser and make no request to another origin."""
from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.browser


def test_page_loads_without_other_origins(example_build, serve_dir, open_page):
    base = serve_dir(example_build)
    tab = open_page(375)
    tab.goto(f"{base}/kulturskolan/kurser/musik/piano/")
    assert tab.locator("h1").inner_text() == "Piano"
    assert tab.locator("p.ingress").count() == 1
    hosts = {urlsplit(url).netloc for url in tab.requests}
    assert hosts == {urlsplit(base).netloc}

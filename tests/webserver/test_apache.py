"""The example sites (and hostile rules) on a real Apache, configured as docs/deploy.md says."""
import httpx
import pytest

import webservers
from webserver.conftest import EXAMPLES
from webserver.served import *  # noqa: F401,F403 - the shared tests, run here against Apache


@pytest.fixture(scope="module")
def client(www, work_dir, feedback_port):
    webservers.need(webservers.APACHE, "apache2")
    port = webservers.free_port()
    folder = work_dir / "apache"
    folder.mkdir()
    conf = webservers.apache_conf(www, folder, port, [*EXAMPLES, "demo"], feedback_port)
    tested = webservers.apache_test(conf)
    assert tested.returncode == 0, tested.stderr + tested.stdout
    server = webservers.start_apache(conf, port)
    try:
        with httpx.Client(base_url=server.url, timeout=10) as client:
            yield client
    finally:
        server.stop()

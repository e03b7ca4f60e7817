"""The example sites (and hostile rules) on a real nginx, configured as docs/deploy.md says."""
import httpx
import pytest

import webservers
from webserver.conftest import EXAMPLES
from webserver.served import *  # noqa: F401,F403 - the shared tests, run here against nginx


@pytest.fixture(scope="module")
def client(www, work_dir, feedback_port):
    webservers.need(webservers.NGINX, "nginx")
    port = webservers.free_port()
    folder = work_dir / "nginx"
    folder.mkdir()
    conf = webservers.nginx_conf(www, folder, port, [*EXAMPLES, "demo"], feedback_port)
    tested = webservers.nginx_test(conf)
    assert tested.returncode == 0, tested.stderr
    server = webservers.start_nginx(conf, port)
    try:
        with httpx.Client(base_url=server.url, timeout=10) as client:
            yield client
    finally:
        server.stop()

"""`make lab` (JupyterLab) and `make present` (Voila) serve on 127.0.0.1 with a token.

`make lab` starts at the student's own copy, my-notebooks/00_start_here.ipynb.

Both refuse a request whose ``Host`` header names another machine (403), as Jupyter
Server does against DNS rebinding; Voila needs tools/present/voila.json for that.
"""

import http.client
import os
import secrets
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def status(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code


@pytest.fixture(scope="module")
def lab():
    port, token = free_port(), secrets.token_hex(16)
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(ROOT / ".venv" / "test-jupyter-config")}
    proc = subprocess.Popen(
        ["make", "-s", "lab", f"PORT={port}",
         f"LAB_ARGS=--no-browser --IdentityProvider.token={token}"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            status(f"{base}/api/status?token={token}")
            break
        except (urllib.error.URLError, ConnectionError, OSError):
            if proc.poll() is not None:
                pytest.fail("make lab exited early:\n" + proc.stdout.read())
            time.sleep(0.3)
    else:
        os.killpg(proc.pid, signal.SIGTERM)
        pytest.fail("JupyterLab did not answer within 60 s")
    yield base, token, port
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(timeout=20)


def test_status_needs_the_token(lab):
    base, token, _ = lab
    assert status(f"{base}/api/status?token={token}") == 200
    assert status(f"{base}/api/status") == 403
    assert status(f"{base}/api/status?token=wrong") == 403


def test_listens_on_loopback_only(lab):
    _, _, port = lab
    out = subprocess.run(["ss", "-ltnH", f"sport = :{port}"], capture_output=True, text=True)
    if out.returncode != 0:
        pytest.skip("ss (iproute2) is not available to list listening sockets")
    addrs = {line.split()[3].rsplit(":", 1)[0] for line in out.stdout.splitlines() if line.strip()}
    assert addrs and addrs <= {"127.0.0.1"}, addrs


def test_lab_opens_the_students_own_copy_of_notebook_00(lab):
    """`make lab` copies the notebooks into my-notebooks/ and starts there, not in notebooks/."""
    base, token, port = lab
    assert (ROOT / "my-notebooks" / "00_start_here.ipynb").is_file()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("GET", f"/?token={token}")
        response = conn.getresponse()
        response.read()
    finally:
        conn.close()
    assert response.status == 302
    location = response.getheader("Location").split("?", 1)[0]
    assert location.endswith("/lab/tree/my-notebooks/00_start_here.ipynb"), location
    assert status(f"{base}/api/contents/my-notebooks/00_start_here.ipynb?content=0"
                  f"&token={token}") == 200


def host_status(port, path, host):
    """The status of GET ``path`` on 127.0.0.1:``port`` sent with the header ``Host: host``."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("GET", path, headers={"Host": host})
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def test_lab_refuses_a_foreign_host(lab):
    _, token, port = lab
    assert host_status(port, f"/api/status?token={token}", "evil.example") == 403
    assert host_status(port, f"/api/status?token={token}", f"127.0.0.1:{port}") == 200


def _serve(target, args, probe):
    port, token = free_port(), secrets.token_hex(16)
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(ROOT / ".venv" / "test-jupyter-config")}
    proc = subprocess.Popen(["make", "-s", target, *args(port, token)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            status(f"http://127.0.0.1:{port}{probe}")
            return proc, port, token
        except (urllib.error.URLError, ConnectionError, OSError):
            if proc.poll() is not None:
                pytest.fail(f"make {target} exited early:\n" + proc.stdout.read())
            time.sleep(0.3)
    os.killpg(proc.pid, signal.SIGTERM)
    pytest.fail(f"make {target} did not answer within 60 s")


@pytest.fixture(scope="module")
def present():
    proc, port, token = _serve(
        "present", lambda port, token: [f"PRESENT_PORT={port}",
                                        f"PRESENT_ARGS=--no-browser --Voila.token={token}"],
        "/voila/api/themes/@jupyterlab/theme-light-extension/index.css")
    yield port, token
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(timeout=20)


def test_present_refuses_a_foreign_host_and_keeps_the_token(present):
    port, token = present
    # a foreign Host is refused before anything runs, token or not
    assert host_status(port, f"/?token={token}", "evil.example") == 403
    assert host_status(port, f"/?token={token}", f"evil.example:{port}") == 403
    assert host_status(port, "/api/kernels/00000000-0000-0000-0000-000000000000"
                             f"?token={token}", "evil.example") == 403
    # without the token: sent to the login page, the notebook does not run
    assert host_status(port, "/", f"127.0.0.1:{port}") == 302
    # 127.0.0.1 (or localhost) with the token: the app itself (runs the notebook, ~6 s)
    assert host_status(port, f"/?token={token}", f"localhost:{port}") == 200

"""`make lab` serves JupyterLab on 127.0.0.1 with token authentication on."""

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

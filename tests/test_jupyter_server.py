"""A real Jupyter server on notebooks/ with the "Belarus Monitor" kernel, as `make lab`.

The kernelspec is installed into a temporary prefix and made visible through
JUPYTER_PATH, so the test depends on no kernel of the user's. The server's listing
and kernelspecs are checked over its REST API; explore.ipynb is run in a kernel
started through the API, over the kernel's websocket.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import nbformat
import pytest
import requests
import websocket

from belarus_monitor import config

pytestmark = pytest.mark.slow

KERNEL = "belarus-monitor"
MARKER = "BELARUS_MONITOR_TEST_KERNELSPEC"
BIN = Path(sys.executable).parent
STARTUP_TIMEOUT = 90
CELL_TIMEOUT = 180


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=20)
    # The server's own session: it and any kernel it left behind.
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    root = tmp_path_factory.mktemp("jupyter")
    prefix = root / "prefix"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "ipykernel",
            "install",
            "--prefix",
            str(prefix),
            "--name",
            KERNEL,
            "--display-name",
            "Belarus Monitor",
            "--env",
            MARKER,
            "1",
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    env = dict(
        os.environ,
        JUPYTER_PATH=str(prefix / "share" / "jupyter"),
        JUPYTER_DATA_DIR=str(root / "data"),
        JUPYTER_CONFIG_DIR=str(root / "config"),
        JUPYTER_RUNTIME_DIR=str(root / "runtime"),
        JUPYTERLAB_SETTINGS_DIR=str(root / "lab-settings"),
        JUPYTERLAB_WORKSPACES_DIR=str(root / "lab-workspaces"),
        IPYTHONDIR=str(root / "ipython"),
    )
    port, token = _free_port(), secrets.token_hex(16)
    log = (root / "server.log").open("w")
    proc = subprocess.Popen(
        [
            str(BIN / "jupyter"),
            "lab",
            "--no-browser",
            "--allow-root",
            "--ip=127.0.0.1",
            f"--port={port}",
            "--port-retries=0",
            f"--IdentityProvider.token={token}",
            f"--notebook-dir={config.NOTEBOOKS_DIR}",
            f"--MappingKernelManager.default_kernel_name={KERNEL}",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    session = requests.Session()
    session.headers["Authorization"] = f"token {token}"
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while True:
            if proc.poll() is not None:
                pytest.fail("jupyter lab exited:\n" + (root / "server.log").read_text())
            try:
                if session.get(f"{base}/api/status", timeout=5).ok:
                    break
            except requests.ConnectionError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(
                    "jupyter lab did not start in time:\n" + (root / "server.log").read_text()
                )
            time.sleep(0.5)
        yield {"base": base, "port": port, "token": token, "http": session}
    finally:
        session.close()
        _stop(proc)
        log.close()


def test_server_refuses_requests_without_the_token(server):
    assert requests.get(f"{server['base']}/api/contents", timeout=10).status_code == 403


def test_lab_lists_the_notebooks(server):
    r = server["http"].get(f"{server['base']}/api/contents", timeout=10)
    r.raise_for_status()
    listed = {item["name"] for item in r.json()["content"] if item["type"] == "notebook"}
    on_disk = {p.name for p in config.NOTEBOOKS_DIR.glob("*.ipynb")}
    assert "explore.ipynb" in listed
    assert listed == on_disk
    nb = server["http"].get(f"{server['base']}/api/contents/explore.ipynb", timeout=10).json()
    assert nb["type"] == "notebook"
    assert all(not c.get("outputs") for c in nb["content"]["cells"])
    page = server["http"].get(f"{server['base']}/lab", timeout=30)
    assert page.ok and "JupyterLab" in page.text


def test_the_belarus_monitor_kernel_is_the_default(server):
    specs = server["http"].get(f"{server['base']}/api/kernelspecs", timeout=10).json()
    assert specs["default"] == KERNEL
    spec = specs["kernelspecs"][KERNEL]["spec"]
    assert spec["display_name"] == "Belarus Monitor" and spec["language"] == "python"
    assert spec["env"] == {MARKER: "1"}  # ours, from the temporary prefix
    assert Path(spec["argv"][0]).resolve() == Path(sys.executable).resolve()


def _execute(ws: websocket.WebSocket, session: str, code: str) -> list[dict]:
    msg_id = uuid.uuid4().hex
    ws.send(
        json.dumps(
            {
                "header": {
                    "msg_id": msg_id,
                    "msg_type": "execute_request",
                    "session": session,
                    "username": "test",
                    "version": "5.3",
                },
                "parent_header": {},
                "metadata": {},
                "channel": "shell",
                "buffers": [],
                "content": {
                    "code": code,
                    "silent": False,
                    "store_history": True,
                    "user_expressions": {},
                    "allow_stdin": False,
                    "stop_on_error": True,
                },
            }
        )
    )
    outputs, idle, reply = [], False, None
    deadline = time.monotonic() + CELL_TIMEOUT
    while not (idle and reply):
        ws.settimeout(max(1.0, deadline - time.monotonic()))
        msg = json.loads(ws.recv())
        if msg.get("parent_header", {}).get("msg_id") != msg_id:
            continue
        kind = msg["header"]["msg_type"]
        if kind == "execute_reply":
            reply = msg["content"]
        elif kind == "status" and msg["content"]["execution_state"] == "idle":
            idle = True
        elif kind in ("stream", "display_data", "execute_result", "error"):
            outputs.append({"type": kind, **msg["content"]})
    errors = [o for o in outputs if o["type"] == "error"]
    assert reply["status"] == "ok" and not errors, (code, errors or reply)
    return outputs


def test_explore_notebook_runs_in_the_kernel(server):
    http, base = server["http"], server["base"]
    # As JupyterLab does when it opens a notebook: a session for its path, whose
    # kernel runs in the notebook's directory.
    r = http.post(
        f"{base}/api/sessions",
        timeout=60,
        json={
            "path": "explore.ipynb",
            "type": "notebook",
            "name": "explore.ipynb",
            "kernel": {"name": KERNEL},
        },
    )
    r.raise_for_status()
    session_id, kernel_id = r.json()["id"], r.json()["kernel"]["id"]
    assert r.json()["kernel"]["name"] == KERNEL
    session = uuid.uuid4().hex
    ws = websocket.create_connection(
        f"ws://127.0.0.1:{server['port']}/api/kernels/{kernel_id}/channels?session_id={session}",
        header=[f"Authorization: token {server['token']}"],
        timeout=60,
    )
    try:
        probe = _execute(
            ws,
            session,
            f"import os, sys; print(os.environ.get({MARKER!r}), sys.executable, os.getcwd())",
        )
        marker, exe, cwd = "".join(o.get("text", "") for o in probe).split()
        assert marker == "1" and Path(exe).resolve() == Path(sys.executable).resolve()
        assert Path(cwd).resolve() == config.NOTEBOOKS_DIR.resolve()
        nb = nbformat.read(config.NOTEBOOKS_DIR / "explore.ipynb", as_version=4)
        outputs = []
        for cell in nb.cells:
            if cell.cell_type == "code":
                outputs += _execute(ws, session, cell.source)
    finally:
        ws.close()
        http.delete(f"{base}/api/sessions/{session_id}", timeout=30)
    html = "".join(o["data"].get("text/html", "") for o in outputs if "data" in o)
    assert "req-006" in html and '<a href="https://pozirk.online/en/news/92555"' in html
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    alts = [o["metadata"]["image/png"]["alt"] for o in images]
    assert any("Germany" in a for a in alts) and any("Political prisoners" in a for a in alts)
    widgets = [
        o for o in outputs if "application/vnd.jupyter.widget-view+json" in o.get("data", {})
    ]
    assert widgets, "the explorer was not displayed as a widget"
    text = "".join(o.get("text", "") for o in outputs)
    assert "Belarus Monitor contributors (" in text and "sha256" in text

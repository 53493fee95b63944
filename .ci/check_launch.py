"""Start the README's launch command and check JupyterLab serves on localhost behind a token.

Usage: python3 .ci/check_launch.py "<launch command>"

The command runs unchanged; only its surroundings are set for a headless machine:
BROWSER=true (no browser to open) and, when CI runs as root, a private Jupyter config
that allows root (Jupyter refuses root otherwise; students are not root).
Standard library only.
"""

import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

START_TIMEOUT = 300  # seconds; the command re-runs pip install before starting


def status(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def outward_address():
    """This machine's address on its main network interface, or None (no packet is sent)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("10.255.255.255", 1))
        except OSError:
            return None
        address = s.getsockname()[0]
    return None if address.startswith("127.") else address


def main(command):
    env = dict(os.environ, BROWSER="true")
    if os.geteuid() == 0:
        config = tempfile.mkdtemp()
        with open(os.path.join(config, "jupyter_server_config.json"), "w") as f:
            json.dump({"ServerApp": {"allow_root": True}}, f)
        env["JUPYTER_CONFIG_DIR"] = config
    log = tempfile.TemporaryFile(mode="w+")
    server = subprocess.Popen(command, shell=True, env=env, stdout=log, stderr=log, start_new_session=True)
    try:
        url = None
        deadline = time.monotonic() + START_TIMEOUT
        while url is None and time.monotonic() < deadline and server.poll() is None:
            time.sleep(1)
            log.seek(0)
            url = re.search(r"http://(localhost|127\.0\.0\.1):(\d+)/lab\?token=(\w+)", log.read())
        log.seek(0)
        output = log.read()
        assert url, f"JupyterLab did not start within {START_TIMEOUT} s:\n{output[-3000:]}"
        host, port, token = url.groups()
        assert host == "localhost", f"JupyterLab should listen on localhost, not {host}"
        base = f"http://127.0.0.1:{port}"
        assert status(f"{base}/api/status") == 403, "the server answered without a token"
        assert status(f"{base}/api/status?token={token}") == 200, "the server refused its own token"
        assert status(f"{base}/lab/tree/exercises/00_start_here.ipynb?token={token}") == 200
        address = outward_address()
        if address:
            with socket.socket() as s:
                s.settimeout(3)
                assert s.connect_ex((address, int(port))) != 0, f"JupyterLab is reachable on {address}"
        unreachable = f", not reachable on {address}" if address else ""
        print(f"launch command OK: JupyterLab on localhost:{port}{unreachable}, token required")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])

"""A JupyterLab server for the browser tests, isolated from the user's Jupyter set-up, and the browser check.

Nothing here imports Playwright, so the module loads (and its unit tests run) on a machine without it.
"""

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from course_utils.paths import ROOT

# What the served copy of the course holds: the notebooks open nothing else by a relative path
# (their model answers come from the repository's notebooks/ through course_utils.paths).
COURSE_FOLDERS = ("notebooks", "exercises")
# Not part of the course: checkpoints, experiment logs, backups of replaced exercise notebooks.
IGNORED_IN_COPY = shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__", "*.jsonl", "backups")
# Variables through which the user's own Jupyter set-up would reach the server.
USER_JUPYTER_VARIABLES = ("JUPYTER_PATH", "JUPYTER_CONFIG_PATH", "JUPYTERLAB_SETTINGS_DIR", "JUPYTERLAB_WORKSPACES_DIR")
# Chromium or Google Chrome, in this order: Debian's package, then Chrome as hosted CI runners have it
# (Linux, macOS). .ci/run installs Debian's package only when it finds none of these.
CHROMIUM_CANDIDATES = (
    "chromium",
    "/usr/bin/chromium",
    "google-chrome",
    "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
)
# Names another Chromium-family browser to drive, before the candidates above.
BROWSER_VAR = "COURSE_CHROMIUM"
INSTALL_BROWSER = "apt-get install -y chromium fonts-noto-color-emoji"
INSTALL_PLAYWRIGHT = ".venv/bin/pip install -r requirements.txt"
# The lab's own settings, written into a private user-settings folder.
LAB_SETTINGS = {
    # No "Would you like to receive official Jupyter news?" toast over the notebook, no requests
    # to the internet for news or updates.
    "@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False},
    # JupyterLab virtualizes long notebooks: by default off-screen cells skip rendering
    # (content-visibility), and in "full" mode they are not in the DOM at all, so a test could not
    # find, read or count them. "none" attaches and renders every cell, as a plain web page would.
    "@jupyterlab/notebook-extension:tracker": {"windowingMode": "none"},
}
SERVER_START_TIMEOUT = 90  # seconds; a busy 2-core machine can take a while to import the server


class BrowserCheck(NamedTuple):
    """The outcome of :func:`browser_or_reason`."""

    executable: str | None
    """Path of the Chromium to launch, or None when the browser tests cannot run."""
    reason: str | None
    """Why they cannot run and how to make them run; None when they can."""
    strict: bool
    """True when a missing browser must fail the tests rather than skip them (on CI)."""


def on_ci(env):
    """Whether `env` says we run on CI: ``CI`` is set to anything but empty, ``0`` or ``false``.

    Parameters
    ----------
    env : mapping of str -> str

    Returns
    -------
    bool
    """
    return env.get("CI", "").strip().lower() not in ("", "0", "false")


def browser_or_reason(env, which, playwright_installed):
    """Find Chromium for the browser tests, or say why they cannot run and whether that is a failure.

    Parameters
    ----------
    env : mapping of str -> str
        The environment; ``CI`` set (see :func:`on_ci`) turns a missing browser into a failure, and
        ``COURSE_CHROMIUM`` names the browser to use instead of looking for one.
    which : callable
        ``shutil.which`` or a stand-in: name or path -> executable path or None.
    playwright_installed : bool
        Whether the ``playwright`` Python package can be imported.

    Returns
    -------
    BrowserCheck
    """
    missing = []
    chosen = env.get(BROWSER_VAR)
    executable = which(chosen) if chosen else next((found for found in map(which, CHROMIUM_CANDIDATES) if found), None)
    if chosen and executable is None:
        missing.append(f"{BROWSER_VAR}={chosen} is not an executable browser (correct or unset it)")
    elif executable is None:
        missing.append(f"Chromium is not installed (as root: {INSTALL_BROWSER})")
    if not playwright_installed:
        missing.append(f"the Python package playwright is not installed ({INSTALL_PLAYWRIGHT})")
    if not missing:
        return BrowserCheck(executable, None, False)
    reason = "Browser tests need a real browser: " + "; ".join(missing) + "."
    strict = on_ci(env)
    if strict:
        reason += " CI is set, so this is a failure, not a skip."
    return BrowserCheck(None, reason, strict)


@dataclass
class LabServer:
    """A running JupyterLab serving a copy of the course (see :func:`start_lab_server`)."""

    url: str
    """``http://127.0.0.1:<port>``, without a trailing slash."""
    token: str
    root: Path
    """The served copy of the course: ``root / "notebooks"``, ``root / "exercises"``."""
    env: dict
    """The server's environment; a subprocess started with it sees this server (and only this one)
    in ``jupyter_server.serverapp.list_running_servers()``, and a kernel's isolation variables."""
    log_path: Path
    snapshot: Path
    """The pristine copy that :meth:`restore` copies back from."""
    process: subprocess.Popen = field(repr=False)

    @property
    def port(self):
        return int(self.url.rsplit(":", 1)[1])

    def lab_url(self, relpath, reset=True):
        """The address that opens `relpath` (relative to :attr:`root`) in JupyterLab, logged in by the token.

        ``reset`` starts from an empty workspace, so no tab of an earlier test comes back.
        """
        return f"{self.url}/lab/tree/{Path(relpath).as_posix()}?token={self.token}" + ("&reset" if reset else "")

    def api(self, path, method="GET", token=True):
        """Call the server's REST API; return ``(status, parsed JSON or None)``.

        Parameters
        ----------
        path : str
            E.g. ``"/api/sessions"``.
        method : str
        token : bool
            Send the token; False asks as a stranger would.
        """
        url = self.url + path + (f"?token={self.token}" if token else "")
        request = urllib.request.Request(url, method=method)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                body = response.read()
                return response.status, json.loads(body) if body else None
        except urllib.error.HTTPError as error:
            return error.code, None

    def shutdown_kernels(self):
        """End every session and kernel, so the next test starts its notebooks in fresh kernels."""
        _, sessions = self.api("/api/sessions")
        for session in sessions or []:
            self.api(f"/api/sessions/{session['id']}", method="DELETE")
        _, kernels = self.api("/api/kernels")
        for kernel in kernels or []:
            self.api(f"/api/kernels/{kernel['id']}", method="DELETE")

    def restore(self, *relpaths):
        """Put files of the served copy back as they were when the server started.

        Parameters
        ----------
        *relpaths : path
            Files relative to :attr:`root`; none given: every file that differs from the snapshot.

        Returns
        -------
        list of pathlib.Path
            The files restored.
        """
        if not relpaths:
            relpaths = [p.relative_to(self.snapshot) for p in sorted(self.snapshot.rglob("*")) if p.is_file()]
        restored = []
        for relpath in relpaths:
            source, target = self.snapshot / relpath, self.root / relpath
            if not target.is_file() or target.read_bytes() != source.read_bytes():
                shutil.copy2(source, target)
                restored.append(target)
        return restored

    def log_tail(self, lines=40):
        """The last `lines` lines of the server's log."""
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError as error:
            return f"(no server log: {error})"
        return "\n".join(text.splitlines()[-lines:])


def copy_course(target, source=ROOT):
    """Copy the course's notebook folders (:data:`COURSE_FOLDERS`) from `source` into `target`.

    Returns
    -------
    pathlib.Path
        `target`.
    """
    target = Path(target)
    for name in COURSE_FOLDERS:
        shutil.copytree(Path(source) / name, target / name, ignore=IGNORED_IN_COPY)
    return target


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_lab_settings(folder, settings=LAB_SETTINGS):
    """Write JupyterLab user settings (plugin id -> values) as a ``--LabApp.user_settings_dir`` expects."""
    for plugin, values in settings.items():
        package, name = plugin.rsplit(":", 1)
        path = Path(folder) / package / f"{name}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values, indent=2))


def start_lab_server(workdir, extra_env=None, source=ROOT):
    """Start JupyterLab on a copy of the course, with Jupyter folders of its own; wait until it answers.

    Parameters
    ----------
    workdir : pathlib.Path
        An empty folder; the copy, a snapshot of it, the Jupyter folders and the log go inside.
    extra_env : mapping of str -> str, optional
        Added to this process's environment (e.g. the Keras isolation of ``tests/conftest.py``);
        the server's kernels inherit it.
    source : path
        The repository to copy the notebooks from.

    Returns
    -------
    LabServer
    """
    workdir = Path(workdir)
    snapshot = copy_course(workdir / "snapshot", source)
    root = workdir / "course"
    shutil.copytree(snapshot, root)
    # Private config, runtime and data folders: the user's ~/.jupyter settings, trusted-notebook
    # database and running servers stay out. Kernel specs are still found, since the environment's
    # own share/jupyter (where ipykernel installs python3) is searched whatever JUPYTER_DATA_DIR says.
    jupyter = {
        name: workdir / name.lower() for name in ("JUPYTER_CONFIG_DIR", "JUPYTER_RUNTIME_DIR", "JUPYTER_DATA_DIR")
    }
    jupyter["IPYTHONDIR"] = workdir / "ipython"  # no user start-up scripts in the kernels
    for folder in jupyter.values():
        folder.mkdir()
    settings, workspaces = workdir / "lab_settings", workdir / "lab_workspaces"
    write_lab_settings(settings)
    workspaces.mkdir()
    env = {**os.environ, **(extra_env or {}), **{name: str(folder) for name, folder in jupyter.items()}}
    for name in USER_JUPYTER_VARIABLES:
        env.pop(name, None)
    token = secrets.token_hex(24)
    log_path = workdir / "jupyter_server.log"
    for _ in range(3):  # another process may take the free port before the server binds it
        port = free_port()
        command = [
            sys.executable,
            *("-m", "jupyter", "lab", "--no-browser", "--ServerApp.ip=127.0.0.1", f"--port={port}"),
            *("--ServerApp.port_retries=0", f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}"),
            f"--LabApp.user_settings_dir={settings}",
            f"--LabApp.workspaces_dir={workspaces}",
        ]
        if os.geteuid() == 0:  # CI runs as root, which JupyterLab refuses without this
            command.append("--ServerApp.allow_root=True")
        with open(log_path, "a") as log:
            # A session of its own, so that stop_lab_server can signal the server and its kernels together.
            process = subprocess.Popen(
                command, cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        server = LabServer(f"http://127.0.0.1:{port}", token, root, env, log_path, snapshot, process)
        if _wait_until_up(server, SERVER_START_TIMEOUT):
            return server
        stop_lab_server(server)
        if "already in use" not in server.log_tail(100):
            break
    raise RuntimeError(
        f"JupyterLab did not start (exit code {process.poll()}). The end of its log, {log_path}:\n{server.log_tail()}"
    )


def _wait_until_up(server, timeout):
    """Poll ``/api/status`` until it answers 200; False when the server exits or `timeout` seconds pass."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            return False
        try:
            if server.api("/api/status")[0] == 200:
                return True
        except OSError:  # not listening yet
            pass
        time.sleep(0.2)
    return False


def stop_lab_server(server, timeout=20):
    """Stop the server and its kernels: SIGTERM to its process group, SIGKILL if it does not end in time.

    Kernels run in process groups of their own (jupyter_client starts them so), so they are shut down
    through the API first; SIGTERM makes the server shut down any that are left.
    """
    if server.process.poll() is None:
        try:
            server.shutdown_kernels()
        except OSError:
            pass
    try:
        os.killpg(server.process.pid, signal.SIGTERM)
    except ProcessLookupError:
        pass
    try:
        server.process.wait(timeout)
    except subprocess.TimeoutExpired:
        os.killpg(server.process.pid, signal.SIGKILL)
        server.process.wait(timeout)

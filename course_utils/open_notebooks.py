"""Whether a notebook is open in a running Jupyter server, so that nothing replaces it under an open tab.

A notebook open in JupyterLab keeps its cells in the browser. If a command replaced the file
meanwhile, JupyterLab's next save would ask "File Changed ... Overwrite?" with Overwrite as the
default, or save over it without asking, and silently undo the command. So the reset and the
generator ask the running servers first: a notebook is open there when it has a kernel
session, or a tab in a saved JupyterLab workspace.
"""

import json
import urllib.error
import urllib.request
from pathlib import Path

ASK_TIMEOUT = 2  # seconds per question to a local server
CLOSE_ADVICE = (
    "Save your work and close it first (in JupyterLab: File ▸ Close and Shut Down Notebook), then run this again."
)


def servers_with_open(path):
    """The running Jupyter servers in which `path` is open.

    Parameters
    ----------
    path : path
        A notebook.

    Returns
    -------
    list of str
        The servers' addresses (empty when it is open nowhere, or no server runs).
    """
    try:
        from jupyter_server.serverapp import list_running_servers
    except ImportError:  # no Jupyter server installed: nothing can have it open
        return []
    path = Path(path).resolve()
    found = []
    for server in list_running_servers():
        try:
            relative = path.relative_to(Path(server["root_dir"]).resolve()).as_posix()
        except (KeyError, ValueError):
            continue
        if relative in _open_paths(server["url"], server.get("token", "")):
            found.append(server["url"])
    return found


def _open_paths(url, token):
    """Paths (relative to the server's root) with a kernel session or a workspace tab on the server at `url`."""
    sessions = _ask(url + "api/sessions", token) or []
    paths = {session.get("path") for session in sessions}
    workspaces = (_ask(url + "lab/api/workspaces", token) or {}).get("workspaces", {}).get("values", [])
    for workspace in workspaces:
        # A tab's restore entry is named "<factory>:<path>", e.g. "notebook:exercises/01_….ipynb".
        paths.update(
            key.split(":", 1)[1] for key in workspace.get("data", {}) if key.startswith(("notebook:", "editor:"))
        )
    return paths


def _ask(url, token):
    """The JSON a local server answers at `url`, or None if it does not answer (a stale server file)."""
    request = urllib.request.Request(url, headers={"Authorization": f"token {token}"})
    try:
        with urllib.request.urlopen(request, timeout=ASK_TIMEOUT) as response:
            return json.load(response)
    except (OSError, ValueError):  # URLError and HTTPError are OSErrors
        return None

"""Finding a notebook open in a running Jupyter server, against a stand-in server on localhost.

The stand-in answers the two questions a real JupyterLab server answers (kernel sessions,
saved workspaces) and only with the right token; the browser tests ask a real one.
"""

import http.server
import json
import os
import threading

import pytest

from course_utils.open_notebooks import servers_with_open

TOKEN = "secret"


@pytest.fixture
def server(tmp_path, monkeypatch):
    """A stand-in Jupyter server rooted at tmp_path/course; its answers are set through the returned dict."""
    answers = {"/api/sessions": [], "/lab/api/workspaces": {"workspaces": {"ids": [], "values": []}}}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            if self.headers.get("Authorization") != f"token {TOKEN}":
                self.send_error(403)
                return
            body = json.dumps(answers[self.path]).encode()
            self.send_response(200)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    httpd = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    runtime = tmp_path / "runtime"
    runtime.mkdir()
    root = tmp_path / "course"
    info = {"pid": os.getpid(), "root_dir": str(root), "url": f"http://127.0.0.1:{httpd.server_port}/"}
    (runtime / "jpserver-1.json").write_text(json.dumps({**info, "token": TOKEN}))
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(runtime))
    yield answers, root, info["url"], runtime
    httpd.shutdown()
    httpd.server_close()


def test_a_notebook_with_a_kernel_session_is_open(server):
    answers, root, url, _ = server
    answers["/api/sessions"] = [{"path": "exercises/01_demo.ipynb", "type": "notebook"}]
    assert servers_with_open(root / "exercises" / "01_demo.ipynb") == [url]
    assert servers_with_open(root / "exercises" / "02_other.ipynb") == []
    assert servers_with_open(root.parent / "elsewhere" / "exercises" / "01_demo.ipynb") == []


def test_a_notebook_in_a_tab_without_a_kernel_is_open(server):
    answers, root, url, _ = server
    tab = {"data": {"path": "exercises/01_demo.ipynb", "factory": "Notebook"}}
    answers["/lab/api/workspaces"]["workspaces"]["values"] = [
        {"data": {"layout-restorer:data": {}, "notebook:exercises/01_demo.ipynb": tab}, "metadata": {"id": "default"}}
    ]
    assert servers_with_open(root / "exercises" / "01_demo.ipynb") == [url]
    assert servers_with_open(root / "exercises" / "01_demo") == []


def test_a_server_that_does_not_answer_has_nothing_open(server):
    answers, root, _, runtime = server
    answers["/api/sessions"] = [{"path": "exercises/01_demo.ipynb"}]
    info = json.loads((runtime / "jpserver-1.json").read_text())
    (runtime / "jpserver-1.json").write_text(json.dumps({**info, "token": "wrong"}))
    assert servers_with_open(root / "exercises" / "01_demo.ipynb") == []
    (runtime / "jpserver-1.json").write_text(json.dumps({**info, "url": "http://127.0.0.1:9/"}))
    assert servers_with_open(root / "exercises" / "01_demo.ipynb") == []

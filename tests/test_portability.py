"""Nothing in course_utils assumes a POSIX system: it must work for students on Windows too.

The scan reads the package's code (not its docstrings) for what breaks on Windows: text files
opened without an encoding (Windows' default code page cannot read the course's UTF-8), a shell,
POSIX-only modules and calls, absolute POSIX paths, commands that exist only on POSIX, and the
virtual environment's ``.venv/bin`` (``.venv\\Scripts`` on Windows) outside ``paths.py``.
"""

import ast
from pathlib import Path

import pytest

from course_utils.paths import ROOT

PACKAGE = ROOT / "course_utils"
POSIX_MODULES = {"fcntl", "grp", "posix", "pty", "pwd", "resource", "termios", "tty"}
POSIX_CALLS = {
    "os": {"fork", "getuid", "geteuid", "getgid", "getpgid", "killpg", "setsid", "system", "popen"},
    "signal": {"SIGKILL", "SIGHUP", "SIGUSR1", "SIGUSR2", "SIGALRM", "alarm"},
}
POSIX_PATHS = ("/tmp", "/usr/", "/dev/", "/bin/", "/etc/", "/var/", "/home/")
POSIX_PROGRAMS = {"bash", "sh", "python", "python3", "which", "open"}
# Deliberate, each with its reason (file name -> the literal allowed there).
ALLOWED = {
    # Keras itself falls back to "/tmp" when ~/.keras is not writable; the data module mirrors it
    # where that folder exists, and uses the system's temporary folder elsewhere.
    ("data.py", "/tmp"),
}


def docstrings(tree):
    """The string constants of `tree` that are docstrings (documentation, not behaviour)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def _keyword(node, name):
    return next((k.value for k in node.keywords if k.arg == name), None)


def _opens_text(node, name):
    """Whether a call of open/read_text/write_text reads or writes text (not bytes)."""
    if name != "open":
        return True
    mode = node.args[1] if len(node.args) > 1 else _keyword(node, "mode")
    return not (isinstance(mode, ast.Constant) and "b" in str(mode.value))


def posix_assumptions(source, filename="module.py"):
    """What in `source` would break on Windows, one line per finding.

    Parameters
    ----------
    source : str
        Python code.
    filename : str
        Its file's name, for the messages and :data:`ALLOWED`.

    Returns
    -------
    list of str
        ``"<file>:<line>: <what> (<why>)"``.
    """
    tree = ast.parse(source)
    skip = docstrings(tree)
    found = []

    def report(node, what):
        found.append(f"{filename}:{node.lineno}: {what}")

    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            for name in names:
                if name.split(".")[0] in POSIX_MODULES:
                    report(node, f"imports {name} (a POSIX-only module)")
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            if node.attr in POSIX_CALLS.get(node.value.id, ()):
                report(node, f"{node.value.id}.{node.attr} (missing or a shell on Windows)")
        elif isinstance(node, ast.Call):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name in ("open", "read_text", "write_text") and _keyword(node, "encoding") is None:
                if _opens_text(node, name):
                    report(node, f"{name}() of text without encoding= (Windows' default code page is not UTF-8)")
            shell = _keyword(node, "shell")
            if shell is not None and not (isinstance(shell, ast.Constant) and shell.value is False):
                report(node, "shell= (a POSIX shell command)")
            if node.args and isinstance(node.args[0], ast.List | ast.Tuple) and node.args[0].elts:
                program = node.args[0].elts[0]
                if isinstance(program, ast.Constant) and program.value in POSIX_PROGRAMS:
                    report(node, f"runs {program.value!r} (use sys.executable, or Python itself)")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            text = node.value
            for prefix in POSIX_PATHS:
                if text.startswith(prefix) and (filename, prefix) not in ALLOWED:
                    report(node, f"the POSIX path {text!r}")
            if ".venv/bin" in text and filename != "paths.py":
                report(node, f"{text!r}: use paths.venv_command (Windows has .venv\\Scripts)")
    return found


def test_nothing_in_course_utils_assumes_a_posix_system():
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        found += posix_assumptions(path.read_text(encoding="utf-8"), path.name)
    assert not found, "\n".join(found)


@pytest.mark.parametrize(
    ("code", "fragment"),
    [
        ("text = path.read_text()", "read_text() of text without encoding"),
        ("open(name, 'w').write(x)", "open() of text without encoding"),
        ("Path(p).write_text(s)", "write_text() of text"),
        ("subprocess.run('ls', shell=True)", "shell="),
        ("subprocess.run(['bash', '-c', 'x'])", "runs 'bash'"),
        ("subprocess.check_output(('python3', '-m', 'x'))", "runs 'python3'"),
        ("import fcntl", "imports fcntl"),
        ("from pwd import getpwnam", "imports pwd"),
        ("os.system('clear')", "os.system"),
        ("uid = os.getuid()", "os.getuid"),
        ("os.kill(pid, signal.SIGKILL)", "signal.SIGKILL"),
        ("CACHE = Path('/tmp/cache')", "the POSIX path '/tmp/cache'"),
        ("print(f'run /usr/bin/env {x}')", None),
        ("FIX = 'run .venv/bin/pip install -r requirements.txt'", "use paths.venv_command"),
    ],
)
def test_the_scan_finds_each_kind_of_posix_assumption(code, fragment):
    found = posix_assumptions(code)
    if fragment is None:  # a path inside a sentence is text, not a path the code opens
        assert found == [], found
    else:
        assert len(found) == 1 and fragment in found[0], found


@pytest.mark.parametrize(
    "code",
    [
        "open(name, 'rb').read()",
        "open(name, mode='wb')",
        "path.read_text(encoding='utf-8')",
        "subprocess.run([sys.executable, '-m', 'pip'])",
        "subprocess.run(args, shell=False)",
        '"""Run .venv/bin/python -m x, or /tmp/y."""',
        "URL = 'https://example.org/tmp/x'",
        "os.path.join(tempfile.gettempdir(), 'x')",
    ],
)
def test_the_scan_accepts_portable_code(code):
    assert posix_assumptions(code) == []


def test_the_allowed_exception_is_specific_to_its_file():
    line = "KERAS_FALLBACK_HOME = Path('/tmp') / '.keras'"
    assert posix_assumptions(line, "data.py") == []
    assert posix_assumptions(line, "plotting.py") != []


def test_venv_commands_use_the_systems_own_layout(monkeypatch):
    from course_utils import paths

    monkeypatch.setattr(paths.os, "name", "nt")
    assert paths.venv_command("python -m x") == ".venv\\Scripts\\python -m x"
    monkeypatch.setattr(paths.os, "name", "posix")
    assert paths.venv_command("python -m x") == ".venv/bin/python -m x"
    both = paths.venv_command_everywhere("python -m x")
    assert "`.venv/bin/python -m x`" in both and "`.venv\\Scripts\\python -m x`" in both
    assert Path(paths.__file__).name == "paths.py"

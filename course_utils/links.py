"""The course's links to its own repository, all derived from one address in ``pyproject.toml``.

The address is ``[project.urls] Repository``, e.g. ``https://github.com/OWNER/REPO``. From it
come the ``pip install git+<address>`` of every notebook's set-up cell (which installs the
course in Google Colab), the README's "Open in Colab" and Binder badges, ``CITATION.cff``'s
``repository-code``, and any other link to the repository in the README or ``CONTRIBUTING.md``.
A fork changes the address in ``pyproject.toml``, runs ``--rewrite``, and is done.

Usage (from the repository root)::

    python -m course_utils.links --check     # exit 1 listing every link that disagrees with the address
    python -m course_utils.links --rewrite   # rewrite those links from the address

``--rewrite`` changes the lectures in ``notebooks/`` (cell sources only, through nbformat) and
the text files, then regenerates ``exercises/`` with the exercise generator, which never
replaces an exercise notebook a student has edited.
"""

import argparse
import re
import subprocess
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

import nbformat

from course_utils.paths import EXERCISES, LECTURES, ROOT, course_notebooks, venv_command

COMMAND = venv_command("python -m course_utils.links")
EXAMPLE = 'Repository = "https://github.com/OWNER/REPO"'
TEXT_FILES = ("README.md", "CITATION.cff", "CONTRIBUTING.md")
BRANCH = "main"
BINDER_NOTEBOOK = "exercises/00_start_here.ipynb"
COLAB_BADGE = "https://colab.research.google.com/assets/colab-badge.svg"
BINDER_BADGE = "https://mybinder.org/badge_logo.svg"

_NAME = r"[A-Za-z0-9_.-]+"
_ADDRESS = re.compile(r"https://github\.com/([A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)/([A-Za-z0-9_.-]+)")
# Links that belong to the course by their form, wherever they are.
_COLAB = re.compile(
    rf"https://colab\.research\.google\.com/github/(?P<owner>{_NAME})/(?P<repo>{_NAME})/blob/[^\s)\"'>]+"
)
_BINDER = re.compile(rf"https://mybinder\.org/v2/gh/(?P<owner>{_NAME})/(?P<repo>{_NAME})/[^\s)\"'>]+")
_CITATION = re.compile(r"^repository-code:\s*[\"']?(?P<url>[^\s\"']+)", re.MULTILINE)
# The set-up cell's install line; what follows `git+` is the repository, whatever its form.
_INSTALL = re.compile(r"^\s*%pip install .*?git\+(?P<url>\S+)", re.MULTILINE)
# Any GitHub link; it is the course's when it names an address the links above name.
_GITHUB = re.compile(
    rf"https://github\.com/(?P<owner>{_NAME})/(?P<repo>{_NAME}?)(?P<git>\.git)?(?=[/#?)\]\"'>\s,;:]|\.(?:\s|$)|$)"
)


class AddressError(ValueError):
    """``pyproject.toml`` does not give a usable GitHub address; the message says what to do."""


@dataclass(frozen=True)
class Links:
    """Every link of the course, derived from its GitHub address ``https://github.com/<owner>/<repo>``."""

    owner: str
    repo: str

    @property
    def address(self):
        return f"https://github.com/{self.owner}/{self.repo}"

    @property
    def install(self):
        """What the set-up cells give ``pip install`` in Colab."""
        return f"git+{self.address}"

    def colab(self, path):
        """The address that opens `path` (inside the repository, e.g. ``exercises/00_start_here.ipynb``) in Colab."""
        return f"https://colab.research.google.com/github/{self.owner}/{self.repo}/blob/{BRANCH}/{path}"

    @property
    def binder(self):
        """The address that opens the course in JupyterLab on Binder, at notebook 00."""
        return f"https://mybinder.org/v2/gh/{self.owner}/{self.repo}/{BRANCH}?urlpath=lab/tree/{BINDER_NOTEBOOK}"

    def colab_badge(self, path):
        """The README's "Open in Colab" badge for `path`, in Markdown."""
        return f"[![Open In Colab]({COLAB_BADGE})]({self.colab(path)})"

    @property
    def binder_badge(self):
        """The README's Binder badge, in Markdown."""
        return f"[![Binder]({BINDER_BADGE})]({self.binder})"


def read_links(root=ROOT):
    """The links derived from ``[project.urls] Repository`` in `root`'s ``pyproject.toml``.

    Returns
    -------
    Links

    Raises
    ------
    AddressError
        When the file, the table or the key is missing, or the address is not a GitHub repository's.
    """
    path = Path(root) / "pyproject.toml"
    try:
        with open(path, "rb") as f:
            urls = tomllib.load(f).get("project", {}).get("urls")
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise AddressError(f"cannot read {path.name} ({error}): the course's address is kept there.") from None
    if not isinstance(urls, dict) or "Repository" not in urls:
        raise AddressError(
            f"{path.name} has no [project.urls] Repository: add a [project.urls] table with {EXAMPLE} "
            f"(the course's address on GitHub), then run: {COMMAND} --rewrite"
        )
    address = urls["Repository"]
    match = _ADDRESS.fullmatch(address) if isinstance(address, str) else None
    if match is None or match[2].endswith(".git") or match[2] in (".", ".."):
        raise AddressError(
            f"{path.name}'s [project.urls] Repository is {address!r}, not a GitHub repository's address: "
            f"Colab and Binder open notebooks from GitHub only. Write it as {EXAMPLE} "
            f"(no trailing slash or .git), then run: {COMMAND} --rewrite"
        )
    return Links(match[1], match[2])


@dataclass(frozen=True)
class Link:
    """A link to the repository found in a file, and what it should be."""

    where: str  # e.g. "README.md, line 7" or "notebooks/01_x.ipynb, cell c-setup, line 4"
    start: int
    end: int
    found: str
    expected: str
    opens: str = ""  # for a Colab link: the notebook it opens, e.g. exercises/00_start_here.ipynb

    @property
    def stale(self):
        return self.found != self.expected


def find_links(text, links, known, where):
    """The course's links in `text` (a file, or a notebook cell's source), each with what it should be.

    Parameters
    ----------
    text : str
    links : Links
    known : set of (str, str)
        The (owner, repo) pairs that make a plain GitHub link the course's; see :func:`known_repositories`.
    where : str
        Names the file (and cell) in each link's `where`, before its line number.

    Returns
    -------
    list of Link
        In the order they appear.
    """
    found = []

    def add(start, end, expected, opens=""):
        line = text.count("\n", 0, start) + 1
        found.append(Link(f"{where}, line {line}", start, end, text[start:end], expected, opens))

    for match in _COLAB.finditer(text):
        opens = match[0].split("/blob/", 1)[1].split("/", 1)[-1]  # after the branch
        add(match.start(), match.end(), links.colab(opens), opens)
    for match in _BINDER.finditer(text):
        add(match.start(), match.end(), links.binder)
    for match in _CITATION.finditer(text):
        add(match.start("url"), match.end("url"), links.address)
    for match in _INSTALL.finditer(text):
        add(match.start("url") - len("git+"), match.end("url"), links.install)
    taken = [(link.start, link.end) for link in found]
    for match in _GITHUB.finditer(text):
        inside = any(start <= match.start() < end for start, end in taken)
        if not inside and (match["owner"], match["repo"]) in known:
            add(match.start(), match.end(), links.address + (match["git"] or ""))
    return sorted(found, key=lambda link: link.start)


def known_repositories(texts, links):
    """The (owner, repo) pairs the course's own links name in `texts`, and the address's own.

    A plain GitHub link is the course's when it names one of these: after a fork changes the
    address, its README's old links still name the repository the set-up cells and badges name.
    """
    known = {(links.owner, links.repo)}
    for text in texts:
        for pattern in (_COLAB, _BINDER):
            known.update((m["owner"], m["repo"]) for m in pattern.finditer(text))
        for pattern in (_CITATION, _INSTALL):
            for match in pattern.finditer(text):
                address = _ADDRESS.match(match["url"])
                if address:
                    known.add((address[1], address[2].removesuffix(".git")))
    return known


@dataclass(frozen=True)
class Problem:
    """One line of ``--check``'s report: a link to fix, or one that is missing."""

    where: str
    message: str
    rewritable: bool = False  # --rewrite fixes it

    def __str__(self):
        return f"{self.where}: {self.message}"


class CourseFiles:
    """The files under `root` that hold the course's links, read once."""

    def __init__(self, root=ROOT):
        self.root = Path(root)
        self.lectures = self.root / LECTURES.relative_to(ROOT)
        self.exercises = self.root / EXERCISES.relative_to(ROOT)
        self.notebooks = {
            path: nbformat.read(path, as_version=4)
            for path in course_notebooks(self.lectures) + course_notebooks(self.exercises)
        }
        self.texts = {
            self.root / name: (self.root / name).read_text(encoding="utf-8")
            for name in TEXT_FILES
            if (self.root / name).is_file()
        }

    def name(self, path):
        return Path(path).relative_to(self.root).as_posix()

    def links(self, links):
        """Every course link in the files, as (path, cell or None, Link)."""
        cells = [cell.source for notebook in self.notebooks.values() for cell in notebook.cells]
        known = known_repositories([*self.texts.values(), *cells], links)
        result = [
            (path, None, link)
            for path, text in self.texts.items()
            for link in find_links(text, links, known, self.name(path))
        ]
        for path, notebook in self.notebooks.items():
            for cell in notebook.cells:
                where = f"{self.name(path)}, cell {cell.get('id', '?')}"
                result.extend((path, cell, link) for link in find_links(cell.source, links, known, where))
        return result

    def problems(self, links):
        """What ``--check`` reports: stale links, set-up cells that install nothing, missing or broken Colab links."""
        found = self.links(links)
        problems = [
            Problem(link.where, f"{link.found} should be {link.expected}", rewritable=True)
            for _, _, link in found
            if link.stale
        ]
        for path, notebook in self.notebooks.items():
            code = [cell for cell in notebook.cells if cell.cell_type == "code"]
            if not code or not _INSTALL.search(code[0].source):
                problems.append(
                    Problem(
                        self.name(path),
                        f"its first code cell does not install the course in Colab (`%pip install ... "
                        f"{links.install}`): copy the set-up cell of another notebook",
                    )
                )
        in_readme = [link for path, _, link in found if path == self.root / "README.md"]
        opened = {link.opens for link in in_readme}
        problems.extend(
            Problem(
                "README.md", f"no Open in Colab link for {self.name(path)}: add {links.colab_badge(self.name(path))}"
            )
            for path in course_notebooks(self.exercises)
            if self.name(path) not in opened
        )
        if not any(link.expected == links.binder for link in in_readme):
            problems.append(Problem("README.md", f"no Binder link: add {links.binder_badge}"))
        problems.extend(
            Problem(link.where, f"{link.found} opens {link.opens}, which is not in the repository")
            for _, _, link in found
            if link.opens and not (self.root / link.opens).is_file()
        )
        return problems

    def rewrite(self, links):
        """Rewrite the stale links of the lectures and text files (not exercises/); return the files changed."""
        changed = {}
        for path, cell, link in self.links(links):
            if link.stale and path.parent != self.exercises:
                changed.setdefault(path, []).append((cell, link))
        for path, fixes in changed.items():
            if path in self.texts:
                self.texts[path] = _replace(self.texts[path], [link for _, link in fixes])
                path.write_text(self.texts[path], encoding="utf-8")
                continue
            for cell in {id(cell): cell for cell, _ in fixes}.values():
                cell.source = _replace(cell.source, [link for fixed, link in fixes if fixed is cell])
            nbformat.write(self.notebooks[path], path)
        return sorted(changed)


def _replace(text, links):
    for link in sorted(links, key=lambda link: link.start, reverse=True):
        text = text[: link.start] + link.expected + text[link.end :]
    return text


def set_install_url(path, url):
    """Make the set-up cell of the notebook at `path` install the course from `url` (e.g. ``git+file:///...``).

    For trying the Colab set-up from another repository (a local clone, in the tests); the cell's
    id, the other cells and all outputs are kept.
    """
    notebook = nbformat.read(path, as_version=4)
    cell = next(cell for cell in notebook.cells if cell.cell_type == "code")
    match = _INSTALL.search(cell.source)
    if match is None:
        raise ValueError(f"{path}: its first code cell has no `%pip install ... git+<address>` line")
    cell.source = cell.source[: match.start("url") - len("git+")] + url + cell.source[match.end("url") :]
    nbformat.write(notebook, path)


def check(root=ROOT):
    """Print every link under `root` that disagrees with the address; return the exit status (0 or 1)."""
    links = read_links(root)
    files = CourseFiles(root)
    problems = files.problems(links)
    for problem in problems:
        print(problem)
    if problems:
        stale = sum(problem.rewritable for problem in problems)
        print(
            f"{len(problems)} problem(s) with the links to {links.address} (pyproject.toml's address); "
            + (f"rewrite the {stale} stale one(s) with: {COMMAND} --rewrite" if stale else "fix them as each line says")
        )
        return 1
    found = files.links(links)
    holding = len({path for path, _, _ in found})
    print(f"All {len(found)} links to the repository, in {holding} files, agree with pyproject.toml: {links.address}")
    return 0


def rewrite(root=ROOT):
    """Rewrite every stale link under `root`, regenerate the exercises, then check; return the exit status."""
    links = read_links(root)
    files = CourseFiles(root)
    for path in files.rewrite(links):
        print(f"{files.name(path)}: links rewritten to {links.address}")
    # Run, not imported: the modules in course_utils/ never import the instructor's tools (test_package_layout.py).
    generator = [sys.executable, "-m", "course_utils.authoring.exercises"]
    generated = subprocess.run(
        [*generator, "--notebooks", str(files.lectures), "--exercises", str(files.exercises)],
        capture_output=True,
        text=True,
    )
    print(generated.stdout, end="")
    print(generated.stderr, end="", file=sys.stderr)
    return check(root)


def main(argv=None):
    parser = argparse.ArgumentParser(prog=f"python -m {__spec__.name}", description=__doc__.splitlines()[0])
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--check", action="store_true", help="list every link that disagrees; exit 1 if any")
    action.add_argument("--rewrite", action="store_true", help="rewrite those links from the address")
    parser.add_argument("--root", type=Path, default=ROOT, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    try:
        return check(args.root) if args.check else rewrite(args.root)
    except AddressError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())

"""The user guide's examples run, so the guide cannot rot.

Every page under ``docs/`` (recursively) is one test.  Its fenced blocks run
in page order in one namespace, as a reader would type them:

* ```` ```python ```` blocks are executed;
* ```` ```console ```` blocks hold only lines ``$ python -m verify …`` with
  a cheap subcommand (``list``, ``formula``, ``show``); each runs through the
  command line's own entry point, in-process (a fresh interpreter per command
  would spend its time importing sympy and scipy) and must exit with status 0;
* any other block (```` ```text ````, plain ```` ``` ````) is shown, not run:
  that is where an expensive command such as ``report --size full`` goes.
  No other fence language is allowed, so that nothing is skipped by accident.

Further checks: every relative link in the guide and in the README points to
a file of the repository, and the contents page links every page.
"""

from __future__ import annotations

import contextlib
import io
import re
import shlex
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")  # examples may draw; never open a window

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
PAGES = sorted(DOCS.rglob("*.md"))
FENCE = re.compile(r"^```([\w-]*)[^\n]*\n(.*?)^```\s*$", re.MULTILINE | re.DOTALL)
CHEAP_COMMANDS = ("list", "formula", "show")
# Any other fence language would be skipped silently (```py, ```bash): name one of these.
LANGUAGES = ("python", "console", "text", "")
COMMAND_PREFIX = ["python", "-m", "verify"]
# [text](target) links, not images of remote sites; anchors and queries are cut off.
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")


def _blocks(page: Path) -> list[tuple[str, str, int]]:
    """(language, code, line number of the opening fence) of every fenced block."""
    text = page.read_text(encoding="utf-8")
    return [(match.group(1), match.group(2), text.count("\n", 0, match.start()) + 1)
            for match in FENCE.finditer(text)]


def _run_console_line(line: str, where: str, cwd: Path, monkeypatch) -> None:
    from verify.__main__ import main

    assert line.startswith("$ "), (
        f"{where}: a console block holds only '$ python -m verify …' lines (its output is "
        f"not compared, so it would rot); got {line!r}")
    words = shlex.split(line[2:], comments=True)
    assert words[:3] == COMMAND_PREFIX and len(words) > 3, (
        f"{where}: only 'python -m verify' commands run in a console block; show other "
        f"commands in a ```text block: {line!r}")
    assert words[3] in CHEAP_COMMANDS, (
        f"{where}: '{words[3]}' is too expensive for the tests; show it in a ```text block "
        f"(console blocks may run: {', '.join(CHEAP_COMMANDS)})")
    out, err = io.StringIO(), io.StringIO()
    monkeypatch.chdir(cwd)  # a command that reads the default store finds an empty directory
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            status = main(words[3:])
    finally:
        monkeypatch.chdir(ROOT)  # the page's Python blocks run from the repository root
    assert status == 0, f"{where}: {line!r} exited with status {status}:\n{err.getvalue()}"
    assert out.getvalue().strip(), f"{where}: {line!r} printed nothing"


def test_the_guide_has_pages():
    assert (DOCS / "index.md") in PAGES and len(PAGES) > 1


@pytest.mark.parametrize("page", PAGES, ids=[p.relative_to(DOCS).as_posix() for p in PAGES])
def test_every_block_of_the_page_runs(page, tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)  # as the guide tells readers to
    namespace: dict = {"__name__": f"docs.{page.stem}"}
    name = page.relative_to(ROOT).as_posix()
    for language, code, line in _blocks(page):
        where = f"{name}:{line}"
        assert language in LANGUAGES, (
            f"{where}: a ```{language} block is neither run nor meant to be shown; use "
            "```python (run), ```console (python -m verify commands, run) or ```text (shown)")
        if language == "python":
            exec(compile(code, where, "exec"), namespace)  # noqa: S102 - the guide's own examples
        elif language == "console":
            for command in code.splitlines():
                if command.strip():
                    _run_console_line(command.strip(), where, tmp_path, monkeypatch)


def _relative_links(document: Path) -> list[str]:
    text = FENCE.sub("", document.read_text(encoding="utf-8"))  # code is not a link
    return [target for target in LINK.findall(text)
            if not re.match(r"^[a-z][a-z0-9+.-]*:", target) and not target.startswith("#")]


@pytest.mark.parametrize("document", [ROOT / "README.md", *PAGES],
                         ids=["README.md", *[p.relative_to(DOCS).as_posix() for p in PAGES]])
def test_relative_links_point_into_the_repository(document):
    missing = []
    for target in _relative_links(document):
        path = (document.parent / target.split("#")[0].split("?")[0]).resolve()
        if not path.exists() or ROOT not in path.parents and path != ROOT:
            missing.append(target)
    assert not missing, f"{document.relative_to(ROOT)} links to files not in the repository: {missing}"


def test_the_contents_page_links_every_page():
    linked = {(DOCS / target.split("#")[0]).resolve() for target in _relative_links(DOCS / "index.md")}
    unlisted = [p.relative_to(DOCS).as_posix() for p in PAGES
                if p != DOCS / "index.md" and p not in linked]
    assert not unlisted, f"docs/index.md does not link: {unlisted}"


# The code cites the derivation pages by section: "docs/derivations/<page>.md §4.2", or, in a
# module that names exactly one page, "{SHEET} §6.4" / "sheet §7.1" / "sheet's §9.1".
# "§5–§7" and "§6.2–6.5" cite both ends.
DERIVATION_PATH = re.compile(r"docs/derivations/([\w-]+)\.md")
SECTION_CITATION = re.compile(
    r"(?:docs/derivations/[\w-]+\.md`{0,2}|\{SHEET\}|\b[Ss]heet(?:'s)?)\s*"
    r"((?:§\s*\d+(?:\.\d+)?[a-z]?(?:\s*(?:–|-|,)\s*§?\s*\d+(?:\.\d+)?)*))")
HEADING_NUMBER = re.compile(r"^#+\s+(\d+(?:\.\d+)?)[.\s]", re.MULTILINE)


def _sections(page: Path) -> set[str]:
    return set(HEADING_NUMBER.findall(page.read_text(encoding="utf-8")))


def _cited_sections(text: str) -> list[tuple[str, str]]:
    """(page name, section number) of every citation in ``text``; bare "sheet §k" only
    when the text names exactly one derivation page."""
    pages = set(DERIVATION_PATH.findall(text))
    citations = []
    for match in SECTION_CITATION.finditer(text):
        named = DERIVATION_PATH.match(match.group(0))
        page = named.group(1) if named else (next(iter(pages)) if len(pages) == 1 else None)
        if page is not None:
            citations += [(page, number) for number in re.findall(r"\d+(?:\.\d+)?", match.group(1))]
    return citations


def test_cited_sections_of_the_derivation_pages_exist():
    code = [path for folder in ("numerics", "theory", "verify", "tests")
            for path in sorted((ROOT / folder).rglob("*.py"))]
    missing = []
    for path in [*code, ROOT / "README.md", *PAGES]:
        for page, number in _cited_sections(path.read_text(encoding="utf-8")):
            target = DOCS / "derivations" / f"{page}.md"
            if not target.exists() or number not in _sections(target):
                missing.append(f"{path.relative_to(ROOT)}: {page}.md §{number}")
    assert not missing, "citations of sections the derivation pages do not have:\n" + "\n".join(
        sorted(set(missing)))

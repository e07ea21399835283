"""Per-claim code versions: a claim's stored results are keyed by the sources
its module imports (verify.imports, verify.provenance), so an edit re-measures
only the claims that import the edited file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from verify import claims
from verify.imports import project_files
from verify.provenance import PACKAGE_ROOT, code_version, measurement_sources, version_of

PAPERS = {"KR": "woodworth", "SQ": "ding", "SM": "matt_stoger", "ZL": "zhang_louis"}


@pytest.fixture(scope="module")
def project_copy(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("project")
    for package in ("numerics", "theory", "verify"):
        shutil.copytree(PACKAGE_ROOT / package, root / package,
                        ignore=shutil.ignore_patterns("__pycache__"))
    return root


def versions(root: Path) -> dict[str, str]:
    """The code version of each paper's claims in the project at ``root``."""
    return {prefix: version_of(project_files([root / "verify" / "claims" / name / "__init__.py"],
                                             root), root)
            for prefix, name in PAPERS.items()}


def edit(path: Path) -> None:
    with open(path, "a") as file:
        file.write("\n# an edit that changes no behaviour, only the file's bytes\n")


def test_an_edit_re_measures_only_the_claims_that_import_it(project_copy):
    before = versions(project_copy)
    assert len(set(before.values())) == len(PAPERS)
    edit(project_copy / "verify" / "claims" / "ding" / "rates.py")
    after_sq = versions(project_copy)
    assert after_sq["SQ"] != before["SQ"]
    assert {key: after_sq[key] for key in ("KR", "SM", "ZL")} == {
        key: before[key] for key in ("KR", "SM", "ZL")}
    edit(project_copy / "verify" / "claims" / "woodworth" / "formulas.py")
    after_kr = versions(project_copy)
    assert [after_kr[key] != after_sq[key] for key in PAPERS] == [True, False, False, False]
    # every claim imports theory's package, which imports all its modules
    edit(project_copy / "theory" / "prediction.py")
    after_theory = versions(project_copy)
    assert all(after_theory[key] != after_kr[key] for key in PAPERS)
    # the report renderer is imported by no claim module
    edit(project_copy / "verify" / "report.py")
    assert versions(project_copy) == after_theory


def test_each_paper_s_claims_have_their_own_version():
    by_paper = {prefix: claims.get_claim(f"{prefix}-1") for prefix in PAPERS}
    kr_sources = {path.relative_to(PACKAGE_ROOT).as_posix()
                  for path in measurement_sources(by_paper["KR"])}
    assert "verify/claims/woodworth/formulas.py" in kr_sources
    assert "numerics/dln.py" in kr_sources and "theory/potentials.py" in kr_sources
    assert not any(path.startswith("verify/claims/ding") for path in kr_sources)
    assert len({code_version(claim) for claim in by_paper.values()}) == len(PAPERS)
    assert code_version(claims.get_claim("KR-2")) == code_version(by_paper["KR"])


def test_relative_and_function_level_imports_are_followed(tmp_path):
    package = tmp_path / "verify" / "sub"
    package.mkdir(parents=True)
    (tmp_path / "verify" / "__init__.py").write_text("")
    (package / "__init__.py").write_text("from . import a\n")
    (package / "a.py").write_text("def f():\n    from ..b import g\n")
    (tmp_path / "verify" / "b.py").write_text("import numpy\n")
    (tmp_path / "verify" / "unused.py").write_text("")
    found = project_files([package / "a.py"], tmp_path)
    assert [path.relative_to(tmp_path).as_posix() for path in found] == [
        "verify/__init__.py", "verify/b.py", "verify/sub/__init__.py", "verify/sub/a.py"]

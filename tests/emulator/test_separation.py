"""The emulator and the admin stay apart: neither imports the other, nor is it installed."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from tests.emulator_process import REPO_ROOT

ADMIN_MODULES = sorted((REPO_ROOT / "galtea_admin").rglob("*.py"))
EMULATOR_MODULES = sorted((REPO_ROOT / "emulator").rglob("*.py"))


def imported_packages(path: Path) -> set[str]:
    """The top-level package of every absolute import in a module."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def relative(path: Path) -> str:
    return str(path.relative_to(REPO_ROOT))


def test_the_emulator_is_not_an_installed_app():
    assert not [app for app in settings.INSTALLED_APPS if "emulator" in app]


def test_there_are_modules_to_check():
    assert len(ADMIN_MODULES) > 10
    assert len(EMULATOR_MODULES) > 5


@pytest.mark.parametrize("path", ADMIN_MODULES, ids=relative)
def test_no_admin_module_imports_the_emulator(path):
    assert "emulator" not in imported_packages(path)


@pytest.mark.parametrize("path", EMULATOR_MODULES, ids=relative)
def test_no_emulator_module_imports_the_admin_or_django(path):
    assert not imported_packages(path) & {"galtea_admin", "django"}


def test_running_the_emulator_loads_neither_the_admin_nor_django():
    script = (
        "import sys, runpy; sys.argv = ['emulator', '--help']\n"
        "try:\n"
        "    runpy.run_module('emulator', run_name='__main__')\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(sorted({name.split('.')[0] for name in sys.modules} & {'django', 'galtea_admin'}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert result.stdout.splitlines()[-1] == "[]"


def test_a_negative_port_is_refused(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "emulator",
            "--port",
            "-1",
            "--data",
            str(tmp_path / "x"),
            "--seed",
            "0",
            "--api-key",
            "gsk_x",
        ],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "must not be negative: -1" in result.stderr
    assert not (tmp_path / "x").exists()

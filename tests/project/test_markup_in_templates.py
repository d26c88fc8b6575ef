"""Markup lives in templates: no string in the admin's Python is HTML."""

import ast
import re
from pathlib import Path

import pytest

from tests.emulator_process import REPO_ROOT

MODULES = sorted(
    path for path in (REPO_ROOT / "galtea_admin").rglob("*.py") if "migrations" not in path.parts
)
ELEMENT = re.compile(
    r"</?(a|abbr|bdi|button|code|dd|del|div|dl|dt|em|fieldset|form|h[1-6]|input|ins|label|"
    r"legend|li|ol|option|p|section|select|small|span|strong|table|tbody|td|textarea|th|"
    r"thead|time|tr|ul)\b[^<>]*>",
    re.IGNORECASE,
)


def docstrings(tree: ast.AST) -> set[int]:
    """The ids of the constant nodes that are docstrings (which may name markup)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def html_strings(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    skipped = docstrings(tree)
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in skipped
        and ELEMENT.search(node.value)
    ]


@pytest.mark.parametrize("module", MODULES, ids=lambda path: str(path.relative_to(REPO_ROOT)))
def test_no_python_module_holds_markup(module: Path):
    assert html_strings(module) == []


def test_the_check_sees_markup(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        '"""A <span> in a docstring is fine."""\nCELL = \'<span class="x">{}</span>\'\n'
    )
    assert html_strings(sample) == ['<span class="x">{}</span>']

"""Pages work under a strict Content-Security-Policy: no inline script or style anywhere."""

import re
from pathlib import Path

import pytest

from tests.emulator_process import REPO_ROOT

TEMPLATES = sorted((REPO_ROOT / "templates").rglob("*.html"))
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style\b|\sstyle=\"|\son[a-z]+=\"", re.IGNORECASE)


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda path: str(path.relative_to(REPO_ROOT)))
def test_no_inline_script_or_style(template: Path):
    text = template.read_text()
    assert not INLINE_SCRIPT.search(text)
    assert not INLINE_STYLE.search(text)


def test_there_are_templates_to_check():
    assert len(TEMPLATES) > 10

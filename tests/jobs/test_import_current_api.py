"""An import against today's Galtea API ("current" generation): phone connections have no
voice or language there, so those columns are reported and left out, and never sent."""

from __future__ import annotations

import pytest

from tests.emulator_process import start_emulator
from tests.jobs.pages import open_job, started_job_id
from tests.phone_connections.import_pages import (
    HEADER,
    csv_bytes,
    preview_of,
    start_import,
    upload,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def emulator(tmp_path_factory):
    """This module's emulator: today's API (it replaces the session one)."""
    running = start_emulator(
        tmp_path_factory.mktemp("import-current-api"), seed=10, api_generation="current"
    )
    yield running
    running.stop()


def test_voice_and_language_columns_are_left_out(editor_client, gateway, jobs_run_at_once):
    product = gateway.target.get("/products").json()[0]
    content = csv_bytes(
        [HEADER, ["Current import", "+14155552671", product["name"], "1", "theo", "fr"]]
    )

    preview = preview_of(editor_client, upload(editor_client, "c.csv", content))

    assert preview.counts["to create"] == 1
    assert "“Voice”: the Galtea API in use has no such field." in preview.ignored
    assert "“Language”: the Galtea API in use has no such field." in preview.ignored
    assert preview.headings == [
        "Row",
        "Name",
        "Phone number",
        "Product",
        "Agent speaks first",
        "What happens",
    ]
    gateway.forget()
    job_id = started_job_id(start_import(editor_client, preview))

    assert gateway.bodies("POST") == [
        {
            "productId": product["id"],
            "name": "Current import",
            "phoneNumber": "+14155552671",
            "agentSpeaksFirst": True,
        }
    ]
    assert open_job(editor_client, job_id).result == "1 imported."

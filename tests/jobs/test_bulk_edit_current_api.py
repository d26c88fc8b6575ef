"""Bulk edit against today's Galtea API ("current" generation): phone connections have no
voice or language there, so the form offers neither and the job never sends them."""

from __future__ import annotations

import pytest

from tests.emulator_process import start_emulator
from tests.jobs.pages import open_form, start, started_job_id
from tests.pages import change_row, create_row, writes

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def emulator(tmp_path_factory):
    """This module's emulator: today's API (it replaces the session one)."""
    running = start_emulator(
        tmp_path_factory.mktemp("bulk-current-api"), seed=10, api_generation="current"
    )
    yield running
    running.stop()


def test_only_agent_speaks_first_is_offered_and_sent(editor_client, gateway, jobs_run_at_once):
    rows = [create_row(gateway.target, name=f"Current bulk {n}") for n in range(2)]
    change_row(gateway.target, rows[1]["id"], agentSpeaksFirst=True)
    ids = [row["id"] for row in rows]

    assert open_form(editor_client, ids).field_names == ["agent_speaks_first"]
    gateway.forget()
    gateway.target.clear_request_log()
    started_job_id(start(editor_client, ids, agent_speaks_first="true", voice="theo"))

    assert gateway.bodies("PATCH") == [{"agentSpeaksFirst": True}]
    assert [r["path"] for r in writes(gateway.target) if r["method"] == "PATCH"] == [
        f"/phoneConnections/{ids[0]}"
    ]

"""Bulk edit works for any registered resource by its declaration alone: WebRTC connections
declare "agent speaks first" and get "Edit selected…", the form and the job."""

from __future__ import annotations

import pytest

from galtea_admin.audit.models import ChangeRecord
from tests.jobs.pages import LEAVE, BulkEditFormPage, ConfirmationPage, JobPage
from tests.pages import ListView, writes
from tests.webrtc_connections.conftest import RESOURCE

pytestmark = pytest.mark.django_db

URL = "/webrtc-connections/bulk-edit/"


@pytest.fixture
def agents(make_webrtc, marker):
    return [make_webrtc(name=f"{marker} {n}", apiKey="pk_test_0123456789") for n in range(3)]


def test_webrtc_connections_are_edited_in_bulk_through_a_job(
    editor_client, api, agents, marker, jobs_run_at_once
):
    ids = [row["id"] for row in agents]
    page = ListView(editor_client.get("/webrtc-connections/", {"name": marker}))
    assert page.bulk_form.attrs["action"] == URL

    form = BulkEditFormPage(editor_client.post(URL, {"ids": ids}))
    assert form.field_names == ["agent_speaks_first"]
    assert form.value("agent_speaks_first") == LEAVE
    confirmation = ConfirmationPage(
        editor_client.post(URL, {"ids": ids, "step": "review", "agent_speaks_first": "true"})
    )
    assert confirmation.h1 == "Set “Agent speaks first” to Yes on 3 WebRTC connections?"
    api.clear_request_log()
    response = editor_client.post(URL, confirmation.form_data(), follow=True)

    job = JobPage(response)
    assert (job.state, job.result) == ("Done", "3 changed.")
    assert sorted(r["path"] for r in writes(api)) == sorted(f"{RESOURCE}/{i}" for i in ids)
    for row_id in ids:
        now = api.get(f"{RESOURCE}/{row_id}").json()
        assert now["agentSpeaksFirst"] is True
        assert now["hasApiKey"] is True  # the key is never sent, so it stays
    recorded = ChangeRecord.objects.filter(object_type="webrtc_connections", action="update")
    assert sorted(recorded.values_list("object_id", flat=True)) == sorted(ids)

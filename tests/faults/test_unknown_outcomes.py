"""A change whose outcome Galtea left unknown: it received the request, then stopped
answering, and cannot be asked what it did. The person is told exactly that, keeps what
they typed, and the change is in the activity log as unconfirmed until it is settled:
at once with "Check now", or by a worker asking again later.
"""

from __future__ import annotations

import pytest

from galtea_admin.audit.models import Action, ChangeRecord, Outcome
from galtea_admin.lists import settling
from galtea_admin.lists.models import CreateSubmission
from tests.faults.proxy import Fault, reset
from tests.galtea.fake_upstream import RESET
from tests.pages import (
    ACTIVITY_URL,
    CREATE_URL,
    FormPage,
    Page,
    create_row,
    delete_url,
    edit_url,
    find_by_name,
    products,
    unique_name,
)

pytestmark = pytest.mark.django_db

RESOURCE = "/phoneConnections"


def done_then_dropped() -> Fault:
    """Galtea makes the change, then its answer never comes (the connection is reset)."""

    def answer(request, forward):
        forward(request)
        return RESET

    return Fault("done, then dropped", answer)


def galtea_stops_answering(proxy, method: str, *, done: bool) -> None:
    """The write is made (or not), its answer is lost, and no look-up gets an answer."""
    proxy.inject(done_then_dropped() if done else reset(), method, f"{RESOURCE}(/.+)?")
    proxy.inject(reset(), "GET", f"{RESOURCE}(/.+)?")


def only_the_first_read_answered(proxy) -> None:
    """The page reads the entity before changing it; every later read gets no answer."""
    reads = iter([True])

    def answer(request, forward):
        return forward(request) if next(reads, False) else RESET

    proxy.inject(Fault("first read only", answer), "GET", f"{RESOURCE}/.+")


@pytest.fixture(autouse=True)
def patient_reads(settings, proxy):
    """No fault here hangs (answers are reset): a second to answer, as fault tests give,
    could run out on a busy machine and turn "cannot be reached" into "took too long"."""
    settings.GALTEA_READ_TIMEOUT = 10.0


@pytest.fixture
def editing(client, editor, proxy, emulator):
    client.force_login(editor)
    return client


@pytest.fixture
def managing(client, manager, proxy, emulator):
    client.force_login(manager)
    return client


def create_form(client, emulator, name: str) -> dict:
    page = FormPage(client.get(CREATE_URL))
    assert page.status == 200
    return page.submission_data(
        name=name, phone_number="+34 600 111 222", product=products(emulator)[0]["id"]
    )


def unconfirmed(action: str) -> ChangeRecord:
    found = ChangeRecord.objects.filter(action=action, outcome=Outcome.UNCONFIRMED)
    assert len(found) == 1, list(found.values("action", "outcome", "object_label"))
    return found[0]


def check_now(client, change: ChangeRecord) -> Page:
    response = client.post(f"{ACTIVITY_URL}{change.pk}/check/", {"next": ACTIVITY_URL})
    assert response.status_code == 302
    assert response.url == ACTIVITY_URL
    return Page(client.get(ACTIVITY_URL))


def test_a_create_galtea_made_but_could_not_confirm_is_unconfirmed_then_settled(
    editing, proxy, emulator
):
    name = unique_name("Unknown outcome")
    data = create_form(editing, emulator, name)
    galtea_stops_answering(proxy, "POST", done=True)

    page = FormPage(editing.post(CREATE_URL, data))

    assert page.status == 503
    assert f"not known yet whether “{name}” was created" in page.main_text
    assert "will not create it twice" in page.main_text
    assert page.control("name").attrs["value"] == name
    change = unconfirmed(Action.CREATE)
    assert (change.object_label, change.object_id) == (name, "")
    listed = Page(editing.get(ACTIVITY_URL))
    assert "Not confirmed yet" in listed.main_text
    assert "Check now" in listed.buttons()

    # Sent again while unconfirmed: nothing more is sent.
    proxy.forget()
    again = FormPage(editing.post(CREATE_URL, data))
    assert again.status == 409
    assert "nothing more was sent" in again.main_text
    assert proxy.received("POST") == []

    proxy.clear()
    settled = check_now(editing, change)

    assert "it was done" in " ".join(settled.messages)
    [created] = find_by_name(emulator, name)
    change.refresh_from_db()
    assert (change.outcome, change.object_id) == (Outcome.DONE, created["id"])
    assert change.settled_at is not None
    assert change.changes["phone_number"] == [None, "+34600111222"]
    assert "Not confirmed yet" not in settled.main_text
    # The form, sent once more, now leads to what it created.
    third = editing.post(CREATE_URL, data)
    assert third.status_code == 302 and created["id"] in third.url
    assert len(find_by_name(emulator, name)) == 1


def test_a_create_galtea_never_made_is_settled_as_not_done_and_may_be_sent_again(
    editing, proxy, emulator
):
    name = unique_name("Unknown outcome")
    data = create_form(editing, emulator, name)
    galtea_stops_answering(proxy, "POST", done=False)

    assert editing.post(CREATE_URL, data).status_code == 503
    change = unconfirmed(Action.CREATE)

    proxy.clear()
    settled = check_now(editing, change)

    assert "it did not happen" in " ".join(settled.messages)
    assert "Did not happen" in settled.main_text
    change.refresh_from_db()
    assert change.outcome == Outcome.NOT_DONE
    assert not CreateSubmission.objects.filter(token=data["submission"]).exists()
    assert find_by_name(emulator, name) == []
    resent = editing.post(CREATE_URL, data)
    assert resent.status_code == 302
    assert len(find_by_name(emulator, name)) == 1


def test_a_delete_whose_outcome_is_unknown_says_so_and_is_settled(managing, proxy, emulator):
    row = create_row(emulator, name=unique_name("Unknown delete"))
    only_the_first_read_answered(proxy)
    galtea_stops_answering(proxy, "DELETE", done=True)

    page = Page(managing.post(delete_url(row["id"])))

    assert page.status == 503
    assert f"not known yet whether “{row['name']}” was deleted" in page.main_text
    change = unconfirmed(Action.DELETE)
    assert change.object_id == row["id"]

    proxy.clear()
    check_now(managing, change)

    change.refresh_from_db()
    assert change.outcome == Outcome.DONE
    assert find_by_name(emulator, row["name"]) == []


def test_an_edit_whose_outcome_is_unknown_keeps_the_input_and_is_settled(editing, proxy, emulator):
    row = create_row(emulator, name=unique_name("Unknown edit"))
    form = FormPage(editing.get(edit_url(row["id"])))
    new_name = unique_name("Renamed")
    data = form.submission_data(name=new_name)
    only_the_first_read_answered(proxy)
    proxy.inject(done_then_dropped(), "PATCH", f"{RESOURCE}/.+")

    page = FormPage(editing.post(edit_url(row["id"]), data))

    assert page.status == 503
    assert f"not known yet whether “{row['name']}” was changed" in page.main_text
    assert page.control("name").attrs["value"] == new_name
    change = unconfirmed(Action.UPDATE)
    assert change.changes["name"] == [row["name"], new_name]

    proxy.clear()
    check_now(editing, change)

    change.refresh_from_db()
    assert change.outcome == Outcome.DONE


def test_a_worker_asks_again_later_while_galtea_cannot_answer(editing, proxy, emulator, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from django_tasks_db.models import DBTaskResult

    name = unique_name("Asked later")
    data = create_form(editing, emulator, name)
    galtea_stops_answering(proxy, "POST", done=True)
    assert editing.post(CREATE_URL, data).status_code == 503
    change = unconfirmed(Action.CREATE)
    [queued] = DBTaskResult.objects.all()
    assert queued.args_kwargs["args"] == [change.pk, 0]

    # A worker's first attempt: Galtea still cannot be asked, so it asks again later.
    settling.settle_change.call(change.pk, 0)
    later = DBTaskResult.objects.exclude(pk=queued.pk).get()
    assert later.args_kwargs["args"] == [change.pk, 1]
    assert later.run_after is not None and later.run_after > change.created_at

    proxy.clear()
    assert settling.settle_change.call(change.pk, 1) == Outcome.DONE
    change.refresh_from_db()
    assert change.outcome == Outcome.DONE
    assert settling.settle_change.call(change.pk, 2) == "settled already"

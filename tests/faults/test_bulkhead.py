"""The bulkhead: a slow Galtea cannot take every thread of the admin (GALTEA_PAGE_SLOTS).

A page view's request to Galtea holds a slot while it is on its way. With every slot held
by pages waiting on a slow Galtea, a page that needs Galtea fails fast with a clear page and
nothing sent, while a page that needs nothing upstream (sign-in, activity) answers at once.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.test import Client

from galtea_admin.galtea.bulkhead import page_bulkhead, upstream_slot
from galtea_admin.galtea.errors import GalteaSaturated
from galtea_admin.galtea.phone_connections import phone_connection_list
from tests.faults.proxy import Fault, slow
from tests.pages import ACTIVITY_URL, CREATE_URL, LIST_URL, FormPage, Page, products

# The view tests run requests from several threads, each on its own database connection.
pytestmark = pytest.mark.django_db(transaction=True)

RESOURCE = "/phoneConnections"
SLOW = 1.5


@pytest.fixture
def one_slot(settings, proxy):
    settings.GALTEA_PAGE_SLOTS = 1
    settings.GALTEA_PAGE_SLOT_WAIT = 0.05
    settings.GALTEA_READ_TIMEOUT = 10.0
    return proxy


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def hold_the_slot(pool, client, proxy) -> object:
    """A list page waiting on a slow Galtea, in another thread; returns once it is waiting."""
    arrived = threading.Event()
    fault = slow(SLOW)

    def answer(request, forward):
        arrived.set()
        return fault(request, forward)

    proxy.inject(Fault("slow, signalled", answer), "GET", RESOURCE)
    waiting = pool.submit(client.get, LIST_URL)
    assert arrived.wait(5), "the first page reached Galtea"
    return waiting


def test_a_second_call_finds_the_one_slot_taken_and_sends_nothing(one_slot, emulator):
    held = threading.Event()
    release = threading.Event()

    def holder():
        with page_bulkhead(size=1, wait=0.05), upstream_slot():
            held.set()
            release.wait(5)

    thread = threading.Thread(target=holder)
    thread.start()
    try:
        assert held.wait(5)
        one_slot.forget()
        with page_bulkhead(size=1, wait=0.05), pytest.raises(GalteaSaturated) as raised:
            phone_connection_list(offset=0, limit=5)
        assert raised.value.may_have_arrived is False
        assert one_slot.received() == [], "nothing is sent without a slot"
    finally:
        release.set()
        thread.join()

    with page_bulkhead(size=1, wait=0.05):
        assert len(phone_connection_list(offset=0, limit=5)) == 5
    # Outside a page view (a job, an export's rows) no slot is needed.
    assert len(phone_connection_list(offset=0, limit=5)) == 5


def test_one_slot_serves_a_page_whose_calls_go_one_after_the_other(one_slot, operator):
    """Products, voices and the rows: each call gives its slot back when it is answered."""
    response = client_of(operator).get(LIST_URL)

    assert response.status_code == 200
    assert len(one_slot.received("GET")) >= 2


def test_with_every_slot_held_pages_needing_galtea_fail_fast_and_others_answer(one_slot, operator):
    waiting_client, other = client_of(operator), client_of(operator)
    assert other.get(LIST_URL).status_code == 200  # lookups cached, as in daily use
    with ThreadPoolExecutor(max_workers=1) as pool:
        waiting = hold_the_slot(pool, waiting_client, one_slot)

        refused = Page(other.get(LIST_URL))
        sign_in = Client().get("/accounts/login/")
        activity = other.get(ACTIVITY_URL)
        still_waiting = not waiting.done()

        assert still_waiting, "the slow page was still waiting while the others answered"
        assert refused.status == 503
        assert refused.h1 == "Too many pages are waiting for Galtea"
        assert refused.response["Retry-After"] == "5"
        assert "Nothing was sent" in refused.main_text
        assert [a.attrs["href"] for a in refused.links("Try again")] == [LIST_URL]
        assert sign_in.status_code == 200
        assert activity.status_code == 200
        assert waiting.result().status_code == 200

    one_slot.clear()
    assert other.get(LIST_URL).status_code == 200, "the slot is given back at the page's end"


def test_a_form_sent_while_every_slot_is_held_keeps_what_was_typed(
    one_slot, operator, editor, emulator
):
    editing = client_of(editor)
    form = FormPage(editing.get(CREATE_URL))
    data = form.submission_data(
        name="Bulkhead line", phone_number="+34 600 123 456", product=products(emulator)[0]["id"]
    )
    with ThreadPoolExecutor(max_workers=1) as pool:
        waiting = hold_the_slot(pool, client_of(operator), one_slot)
        one_slot.forget()

        response = editing.post(CREATE_URL, data)

        assert not waiting.done()
        page = FormPage(response)
        assert page.status == 503
        assert "Nothing was saved" in page.main_text and "still here" in page.main_text
        assert page.control("name").attrs["value"] == "Bulkhead line"
        assert one_slot.received("POST") == [], "the create was never sent"
        waiting.result()

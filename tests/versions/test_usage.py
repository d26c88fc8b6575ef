"""What calls a connection, on its pages: the versions that call it ("Used by") and their
latest calls; attaching the connection to a version and detaching it, each recorded in the
activity log; and what still calls a connection when someone is about to delete it.

Reading runs against the session emulator; every test that changes a version has an
emulator of its own (`own`, `product`).
"""

from __future__ import annotations

from urllib.parse import urlencode

import pytest

from galtea_admin.audit.models import ChangeRecord
from tests.audit.pages import ActivityPage
from tests.pages import ACTIVITY_URL, FormPage, Page
from tests.versions.api import (
    busiest,
    connection_names,
    latest_calls,
    product_names,
    requests_to,
    retarget,
    version,
    versions,
    versions_calling,
    writes,
)
from tests.versions.pages import (
    ConfirmationPage,
    DetailPage,
    expected_missing_recording,
    expected_outcome,
    expected_status,
)

pytestmark = pytest.mark.django_db

PHONE = "/phone-connections"
WEBRTC = "/webrtc-connections"
RECENT_CALLS = 10


def page_url(prefix: str, connection_id: str, *rest: str) -> str:
    return "/".join([prefix, connection_id, *rest]) + "/"


def attach_url(connection_id: str, prefix: str = PHONE) -> str:
    return page_url(prefix, connection_id, "versions", "attach")


def detach_url(connection_id: str, version_id: str, prefix: str = PHONE) -> str:
    return page_url(prefix, connection_id, "versions", version_id, "detach")


def detail(client, connection_id: str, prefix: str = PHONE) -> DetailPage:
    page = DetailPage(client.get(page_url(prefix, connection_id)))
    assert page.status == 200, page.html[:2000]
    return page


def followed(client, response) -> DetailPage:
    """The page a redirect leads to, with the messages it shows."""
    assert response.status_code == 302, response.content[:2000]
    return DetailPage(client.get(response["Location"]))


def version_changes() -> list[ChangeRecord]:
    return list(ChangeRecord.objects.filter(object_type="versions").order_by("id"))


def uncalled_phone_connection(api) -> str:
    """A seeded phone connection no version calls."""
    called = {v["phoneConnectionId"] for v in versions(api)}
    return next(i for i in connection_names(api, "/phoneConnections") if i not in called)


def connection_with_varied_calls(api) -> tuple[str, list[dict], list[dict]]:
    """A phone connection whose latest calls include a recorded one, one without a
    recording and a pending one: its id, its versions and those calls."""
    every = versions(api)
    for connection_id in dict.fromkeys(v["phoneConnectionId"] for v in every):
        if not connection_id:
            continue
        callers = versions_calling(api, "phoneConnectionId", connection_id)
        calls = latest_calls(api, [v["id"] for v in callers], RECENT_CALLS)
        recorded = {bool(call["recordingUri"]) for call in calls}
        if recorded == {True, False} and any(c["status"] == "PENDING" for c in calls):
            return connection_id, callers, calls
    raise AssertionError("the seed has no connection with such calls")


# --- Used by and Recent calls ------------------------------------------------------------------


class TestUsedBy:
    def test_lists_exactly_the_versions_the_api_says_call_it_with_links(self, viewer_client, api):
        connection_id = busiest(api, "phoneConnectionId")
        expected = versions_calling(api, "phoneConnectionId", connection_id)
        assert len(expected) >= 2
        products = product_names(api)
        api.clear_request_log()

        panel = detail(viewer_client, connection_id).used_by

        assert [(r.version_id, r.name, r.number, r.product) for r in panel.rows] == [
            (v["id"], v["name"], str(v["number"]), products[v["productId"]]) for v in expected
        ]
        assert panel.summary == (
            f"{len(expected)} versions call this phone connection when Galtea evaluates them."
        )
        (asked,) = requests_to(api, "/versions")
        assert f"phoneConnectionIds[]={connection_id}" in asked["query"]
        assert "sort[]=name&sort[]=asc" in asked["query"]
        first = panel.rows[0]
        linked = DetailPage(viewer_client.get(f"/versions/{first.version_id}/"))
        assert linked.status == 200 and linked.h1 == first.name

    def test_recent_calls_are_those_versions_latest_with_a_player_only_for_recordings(
        self, viewer_client, api
    ):
        connection_id, callers, calls = connection_with_varied_calls(api)
        names = {v["id"]: v["name"] for v in callers}

        panel = detail(viewer_client, connection_id).recent_calls

        assert [row.session_id for row in panel.rows] == [call["id"] for call in calls]
        for row, call in zip(panel.rows, calls, strict=True):
            assert row.version == names[call["versionId"]]
            assert row.status == expected_status(call["status"])
            assert row.outcome == expected_outcome(call)
            if call["recordingUri"]:
                assert row.recording.playable
                assert row.recording.source == f"/sessions/{call['id']}/recording/"
            else:
                assert not row.recording.playable
                assert row.recording.text == expected_missing_recording(call)
        assert panel.all_calls_url == "/sessions/?" + urlencode(
            {"version": " ".join(v["id"] for v in callers)}
        )

    def test_a_viewer_sees_the_panels_but_no_attach_or_detach(self, viewer_client, api):
        connection_id = busiest(api, "phoneConnectionId")

        page = detail(viewer_client, connection_id)

        assert page.used_by.rows and page.recent_calls.rows
        assert page.used_by.attach_url is None
        assert [row.detach_url for row in page.used_by.rows] == [None] * len(page.used_by.rows)
        assert "Actions" not in page.used_by.text

    def test_an_editor_is_offered_attach_and_a_detach_per_version(self, editor_client, api):
        connection_id = busiest(api, "phoneConnectionId")

        panel = detail(editor_client, connection_id).used_by

        assert panel.attach_url == attach_url(connection_id)
        assert [row.detach_url for row in panel.rows] == [
            detach_url(connection_id, row.version_id) for row in panel.rows
        ]

    def test_a_connection_no_version_calls_says_so_and_asks_for_no_calls(self, viewer_client, api):
        connection_id = uncalled_phone_connection(api)
        api.clear_request_log()

        page = detail(viewer_client, connection_id)

        assert page.used_by.rows == []
        assert (
            "No version calls this phone connection: Galtea does not use it in any evaluation."
            in page.used_by.text
        )
        assert page.recent_calls.rows == []
        assert "No calls: no version calls it." in page.recent_calls.text
        assert page.recent_calls.all_calls_url is None
        assert requests_to(api, "/sessions") == []

    def test_a_webrtc_connection_lists_the_versions_that_call_it(self, viewer_client, api):
        connection_id = busiest(api, "webRtcConnectionId")
        expected = versions_calling(api, "webRtcConnectionId", connection_id)
        calls = latest_calls(api, [v["id"] for v in expected], RECENT_CALLS)

        page = detail(viewer_client, connection_id, WEBRTC)

        assert [(r.version_id, r.name) for r in page.used_by.rows] == [
            (v["id"], v["name"]) for v in expected
        ]
        assert page.used_by.summary == (
            f"{len(expected)} versions call this WebRTC connection when Galtea evaluates them."
        )
        assert [row.session_id for row in page.recent_calls.rows] == [c["id"] for c in calls]
        # A browser call is not a telephony call: there is nothing to play.
        assert not any(row.recording.playable for row in page.recent_calls.rows)


# --- Who may attach and detach ---------------------------------------------------------------


class TestPermissions:
    def test_a_viewer_gets_403_on_every_attach_and_detach_url(self, viewer_client, api):
        connection_id = busiest(api, "phoneConnectionId")
        (caller, *_) = versions_calling(api, "phoneConnectionId", connection_id)
        other = next(v for v in versions(api) if v["productId"] == caller["productId"])
        api.clear_request_log()

        answers = [
            viewer_client.get(attach_url(connection_id)),
            viewer_client.post(attach_url(connection_id), {"version": other["id"]}),
            viewer_client.get(detach_url(connection_id, caller["id"])),
            viewer_client.post(detach_url(connection_id, caller["id"])),
            viewer_client.post(f"{PHONE}/versions/detach-all/", {"ids": [connection_id]}),
        ]

        assert [answer.status_code for answer in answers] == [403] * 5
        assert writes(api) == []
        assert version(api, caller["id"])["phoneConnectionId"] == connection_id
        assert version_changes() == []


# --- Attaching -------------------------------------------------------------------------------


def choices(page: FormPage) -> list[tuple[str, str, str]]:
    """(version id, its name, what the page says it calls now) of each offered version."""
    found = []
    for label in page.form.find_all("label", class_="choice"):
        found.append(
            (
                label.one("input", type="radio").attrs["value"],
                label.one("bdi").text,
                label.one("span", class_="choice-note").text,
            )
        )
    return found


def described(version: dict, phone_names: dict, webrtc_names: dict) -> str:
    if version["phoneConnectionId"]:
        name = phone_names[version["phoneConnectionId"]]
        return f"Now calls the phone connection “{name}”, which this replaces"
    if version["webRtcConnectionId"]:
        name = webrtc_names[version["webRtcConnectionId"]]
        return f"Now calls the WebRTC connection “{name}”, which this replaces"
    return "Calls nothing yet"


class TestAttach:
    def test_offers_the_products_other_versions_naming_what_each_calls_now(
        self, editor_client, product
    ):
        api = product.api
        retarget(api, product.calling_phone["id"], phoneConnectionId=product.connection["id"])
        phone_names = connection_names(api, "/phoneConnections")
        webrtc_names = connection_names(api, "/webRtcConnections")
        others = [
            v
            for v in versions(api, [("productIds[]", product.id)])
            if v["phoneConnectionId"] != product.connection["id"]
        ]

        page = FormPage(editor_client.get(attach_url(product.connection["id"])))

        assert page.status == 200
        assert page.h1 == f"Which version should call “{product.connection['name']}”?"
        offered = choices(page)
        assert sorted(offered) == sorted(
            (v["id"], v["name"], described(v, phone_names, webrtc_names)) for v in others
        )
        assert [name for _, name, _ in offered] == sorted(name for _, name, _ in offered)
        assert product.calling_phone["id"] not in [i for i, _, _ in offered]

    def test_attaching_names_what_it_called_before_and_is_recorded(
        self, editor_client, editor, product
    ):
        api, connection = product.api, product.connection
        chosen = product.calling_phone
        before_name = connection_names(api, "/phoneConnections")[chosen["phoneConnectionId"]]

        response = editor_client.post(attach_url(connection["id"]), {"version": chosen["id"]})

        assert response["Location"] == page_url(PHONE, connection["id"])
        page = followed(editor_client, response)
        assert page.messages == [
            f"Version “{chosen['name']}” now calls this phone connection; it called the "
            f"phone connection “{before_name}” before."
        ]
        assert [row.version_id for row in page.used_by.rows] == [chosen["id"]]
        assert version(api, chosen["id"])["phoneConnectionId"] == connection["id"]
        (record,) = version_changes()
        assert (record.action, record.object_id, record.object_label) == (
            "update",
            chosen["id"],
            chosen["name"],
        )
        assert (record.user, record.product_id) == (editor, product.id)
        assert record.changes == {
            "phone_connection_id": [chosen["phoneConnectionId"], connection["id"]]
        }

    def test_the_activity_log_and_the_versions_page_show_it_before_and_after(
        self, editor_client, product
    ):
        connection, chosen = product.connection, product.calling_phone
        editor_client.post(attach_url(connection["id"]), {"version": chosen["id"]})

        activity = ActivityPage(editor_client.get(ACTIVITY_URL))
        (row,) = activity.rows
        assert (row["Who"], row["Action"], row["Kind"]) == ("eddie", "Edited", "Version")
        assert row["Changes"] == (
            f"Phone connection: {chosen['phoneConnectionId']} → {connection['id']}"
        )
        page = DetailPage(editor_client.get(f"/versions/{chosen['id']}/"))
        assert page.history_changes == [
            [f"Phone connection: {chosen['phoneConnectionId']} → {connection['id']}"]
        ]

    def test_a_version_that_called_a_webrtc_agent_stops_calling_it(self, editor_client, product):
        api, connection, chosen = product.api, product.connection, product.calling_webrtc
        agent = connection_names(api, "/webRtcConnections")[chosen["webRtcConnectionId"]]

        response = editor_client.post(attach_url(connection["id"]), {"version": chosen["id"]})

        assert followed(editor_client, response).messages == [
            f"Version “{chosen['name']}” now calls this phone connection; it called the "
            f"WebRTC connection “{agent}” before."
        ]
        now = version(api, chosen["id"])
        assert (now["phoneConnectionId"], now["webRtcConnectionId"]) == (connection["id"], None)
        (record,) = version_changes()
        assert record.changes == {
            "phone_connection_id": [None, connection["id"]],
            "webrtc_connection_id": [chosen["webRtcConnectionId"], None],
        }

    def test_a_version_that_called_nothing(self, editor_client, product):
        connection, chosen = product.connection, product.calling_nothing

        response = editor_client.post(attach_url(connection["id"]), {"version": chosen["id"]})

        assert followed(editor_client, response).messages == [
            f"Version “{chosen['name']}” now calls this phone connection."
        ]
        assert version(product.api, chosen["id"])["phoneConnectionId"] == connection["id"]

    def test_a_version_of_another_product_is_refused_and_the_page_kept(
        self, editor_client, product
    ):
        api, connection, stranger = product.api, product.connection, product.other_product_version

        response = editor_client.post(attach_url(connection["id"]), {"version": stranger["id"]})

        assert response.status_code == 400
        page = FormPage(response)
        assert page.alerts == [
            "That version belongs to another product: choose one of this product's."
        ]
        offered = [version_id for version_id, _, _ in choices(page)]
        assert product.calling_phone["id"] in offered and stranger["id"] not in offered
        assert requests_to(api, f"/versions/{stranger['id']}", "PATCH") == []
        assert writes(api) == []
        assert version(api, stranger["id"]) == stranger
        assert version_changes() == []

    def test_choosing_no_version_is_refused(self, editor_client, product):
        response = editor_client.post(attach_url(product.connection["id"]), {})

        assert response.status_code == 400
        assert FormPage(response).alerts == ["Choose the version to attach."]
        assert writes(product.api) == []

    def test_the_form_sent_twice_changes_and_records_once(self, editor_client, product):
        connection, chosen = product.connection, product.calling_phone
        data = {"version": chosen["id"]}

        followed(editor_client, editor_client.post(attach_url(connection["id"]), data))
        again = editor_client.post(attach_url(connection["id"]), data)

        assert followed(editor_client, again).messages == [
            f"Version “{chosen['name']}” calls this phone connection already."
        ]
        assert len(requests_to(product.api, f"/versions/{chosen['id']}", "PATCH")) == 1
        assert len(version_changes()) == 1


# --- Detaching -------------------------------------------------------------------------------


class TestDetach:
    @pytest.fixture
    def attached(self, product) -> dict:
        """A version of the product that calls the product's new connection."""
        chosen = product.calling_phone
        retarget(product.api, chosen["id"], phoneConnectionId=product.connection["id"])
        product.api.clear_request_log()
        return chosen

    def test_asks_first_then_detaches_and_records_it(
        self, editor_client, editor, product, attached
    ):
        connection = product.connection
        url = detach_url(connection["id"], attached["id"])

        confirm = Page(editor_client.get(url))
        assert confirm.status == 200
        assert confirm.h1 == f"Stop “{attached['name']}” calling this phone connection?"
        assert "Detach" in confirm.buttons()
        assert writes(product.api) == []

        page = followed(editor_client, editor_client.post(url))

        assert page.messages == [
            f"Version “{attached['name']}” no longer calls this phone connection."
        ]
        assert page.used_by.rows == []
        now = version(product.api, attached["id"])
        assert (now["phoneConnectionId"], now["webRtcConnectionId"]) == (None, None)
        (record,) = version_changes()
        assert (record.action, record.object_id, record.user) == ("update", attached["id"], editor)
        assert record.changes == {"phone_connection_id": [connection["id"], None]}

    def test_a_version_that_no_longer_calls_it_is_left_alone(
        self, editor_client, product, attached
    ):
        api, connection = product.api, product.connection
        elsewhere = product.new_connection(name="Another line")
        retarget(api, attached["id"], phoneConnectionId=elsewhere["id"])  # someone else did
        api.clear_request_log()
        url = detach_url(connection["id"], attached["id"])

        confirm = Page(editor_client.get(url))
        assert confirm.h1 == f"“{attached['name']}” does not call this phone connection"
        assert "Detach" not in confirm.buttons()
        page = followed(editor_client, editor_client.post(url))

        assert page.messages == [
            f"Version “{attached['name']}” does not call this phone connection: nothing was "
            "changed."
        ]
        assert writes(api) == []
        assert version(api, attached["id"])["phoneConnectionId"] == elsewhere["id"]
        assert version_changes() == []

    def test_from_a_webrtc_connection(self, editor_client, product):
        api, caller = product.api, product.calling_webrtc
        agent_id = caller["webRtcConnectionId"]

        response = editor_client.post(detach_url(agent_id, caller["id"], WEBRTC))

        page = followed(editor_client, response)
        assert page.messages == [
            f"Version “{caller['name']}” no longer calls this WebRTC connection."
        ]
        assert caller["id"] not in [row.version_id for row in page.used_by.rows]
        assert version(api, caller["id"])["webRtcConnectionId"] is None
        (record,) = version_changes()
        assert record.changes == {"webrtc_connection_id": [agent_id, None]}


# --- Before a delete -------------------------------------------------------------------------


class TestDeleteConfirmation:
    def test_names_the_versions_still_calling_it_and_detaches_them_first(
        self, manager_client, product
    ):
        api, connection = product.api, product.connection
        callers = sorted([product.calling_phone, product.calling_nothing], key=lambda v: v["name"])
        for caller in callers:
            retarget(api, caller["id"], phoneConnectionId=connection["id"])
        delete_url = page_url(PHONE, connection["id"], "delete") + "?next=%2Fphone-connections%2F"

        page = ConfirmationPage(manager_client.get(delete_url))

        assert page.status == 200
        assert page.warned_versions == [(v["id"], v["name"]) for v in callers]
        warning = page.usage_warning.text
        assert warning.startswith("Still in use. These versions call it:")
        assert "What Galtea does to a version whose connection is deleted is not known" in warning
        assert page.detach_form.attrs["action"] == f"{PHONE}/versions/detach-all/"
        assert page.detach_form.one("button").text == "Detach them first"
        data = page.detach_form_data()
        assert (data["ids"], data["next"]) == ([connection["id"]], [delete_url])

        response = manager_client.post(page.detach_form.attrs["action"], data)

        assert (response.status_code, response["Location"]) == (302, delete_url)
        again = ConfirmationPage(manager_client.get(delete_url))
        assert again.usage_warning is None
        names = ", ".join(f"“{v['name']}”" for v in callers)
        assert again.messages == [f"Detached {names}."]
        for caller in callers:
            assert version(api, caller["id"])["phoneConnectionId"] is None
        assert sorted(
            (r.object_id, r.changes["phone_connection_id"][1]) for r in version_changes()
        ) == sorted((v["id"], None) for v in callers)
        assert all(
            r.changes == {"phone_connection_id": [connection["id"], None]}
            for r in version_changes()
        )

    def test_is_for_managers_only(self, editor_client, product):
        response = editor_client.get(page_url(PHONE, product.connection["id"], "delete"))

        assert response.status_code == 403

    def test_the_bulk_confirmation_detaches_then_comes_back_with_the_selection(
        self, manager_client, product
    ):
        api = product.api
        first, second = product.connection, product.new_connection(name="Second line")
        unused = product.new_connection(name="Unused line")
        retarget(api, product.calling_phone["id"], phoneConnectionId=first["id"])
        retarget(api, product.calling_nothing["id"], phoneConnectionId=second["id"])
        selection = {"ids": [first["id"], second["id"], unused["id"]], "next": f"{PHONE}/?q=line"}

        page = ConfirmationPage(manager_client.post(f"{PHONE}/bulk-delete/", selection))

        assert page.status == 200
        assert page.usage_warning.text.startswith("Still in use. Versions call some of them:")
        items = [li.text for li in page.usage_warning.one("ul").find_all("li")]
        assert sorted(items) == sorted(
            [
                f"{first['name']}: {product.calling_phone['name']}",
                f"{second['name']}: {product.calling_nothing['name']}",
            ]
        )
        data = page.detach_form_data()
        assert sorted(data["ids"]) == sorted(selection["ids"])
        assert (data["next"], data["then"]) == ([selection["next"]], ["bulk_delete"])

        response = manager_client.post(page.detach_form.attrs["action"], data)

        # 307: the browser posts the same selection to the bulk confirmation again.
        assert (response.status_code, response["Location"]) == (307, f"{PHONE}/bulk-delete/")
        back = ConfirmationPage(manager_client.post(response["Location"], data))
        assert back.status == 200
        assert back.usage_warning is None
        detached = sorted([product.calling_phone["name"], product.calling_nothing["name"]])
        assert back.messages == [f"Detached “{detached[0]}”, “{detached[1]}”."]
        confirm = back.doc.find_all("form", data_submit_once=True)[-1]
        hidden = {
            (field.attrs["name"], field.attrs.get("value"))
            for field in confirm.find_all("input", type="hidden")
        }
        assert {("ids", i) for i in selection["ids"]} | {("next", selection["next"])} <= hidden
        for caller in (product.calling_phone, product.calling_nothing):
            assert version(api, caller["id"])["phoneConnectionId"] is None
        assert len(version_changes()) == 2
        assert all(api.get(f"/phoneConnections/{i}").status_code == 200 for i in selection["ids"])

    def test_the_bulk_detach_leads_back_to_the_list_when_no_page_was_named(
        self, manager_client, product
    ):
        retarget(
            product.api, product.calling_phone["id"], phoneConnectionId=product.connection["id"]
        )

        page = ConfirmationPage(
            manager_client.post(f"{PHONE}/bulk-delete/", {"ids": [product.connection["id"]]})
        )

        assert page.detach_form_data()["next"] == [f"{PHONE}/"]

    def test_a_connection_no_version_calls_shows_no_warning(self, manager_client, api):
        connection_id = uncalled_phone_connection(api)

        single = ConfirmationPage(manager_client.get(page_url(PHONE, connection_id, "delete")))
        bulk = ConfirmationPage(
            manager_client.post(f"{PHONE}/bulk-delete/", {"ids": [connection_id]})
        )

        for page in (single, bulk):
            assert page.status == 200
            assert page.usage_warning is None
            assert "Still in use" not in page.main_text

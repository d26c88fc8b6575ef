"""Creating a phone connection: the form, what the API receives, and every way it can fail.

An Editor fills in the form with the Django test client against the session emulator (each
test creates rows with names of its own). Where a test needs to see the exact body the admin
sent, or an answer the emulator would never give, the admin talks to the emulator through
the recording `gateway`.
"""

from __future__ import annotations

from urllib.parse import urlencode

import pytest

from galtea_admin.audit.models import ChangeRecord
from galtea_admin.lists.models import CreateSubmission
from tests.galtea.fake_upstream import HANG, RESET, Reply, error_reply, json_reply
from tests.pages import (
    CREATE_URL,
    LIST_URL,
    SUBMISSION_TOKEN,
    FormPage,
    Page,
    create_row,
    detail_url,
    find_by_name,
    products,
    unique_name,
    writes,
)

pytestmark = pytest.mark.django_db

# Where the person came from: a filtered, sorted list on its second page.
FILTERED_LIST = f"{LIST_URL}?name=Edit+test&sort=name&per_page=50&page=2"


def open_form(client, next_url: str | None = FILTERED_LIST, **params) -> FormPage:
    if next_url:
        params["next"] = next_url
    page = FormPage(client.get(CREATE_URL + (f"?{urlencode(params)}" if params else "")))
    assert page.status == 200, page.html
    return page


def filled(page: FormPage, product_id: str, **changes) -> dict[str, str]:
    """The form as a person fills it in: a product, a unique name, a typed number."""
    values = {
        "product": product_id,
        "name": unique_name("Create test line"),
        "phone_number": "+1 (415) 555-2671",
    }
    return page.submission_data(**{**values, **changes})


@pytest.fixture
def product(api) -> dict:
    return products(api)[0]


def created(api, name: str) -> dict:
    rows = find_by_name(api, name)
    assert len(rows) == 1, rows
    return rows[0]


# --- The empty form --------------------------------------------------------------------------


class TestTheForm:
    def test_offers_every_product_by_name_and_no_product_chosen(self, editor_client, api):
        page = open_form(editor_client)

        options = page.options("product")
        assert options[0] == ("", "Choose a product…")
        offered = dict(options[1:])
        assert offered == {p["id"]: p["name"] for p in products(api)}
        assert list(offered.values()) == sorted(offered.values(), key=str.casefold)
        assert page.value("product") == ""

    def test_voices_come_from_the_api_with_a_default_for_none(self, editor_client, gateway):
        voices = [
            {"id": "sarah", "name": "Sarah", "languageCode": "en-GB", "gender": "female"},
            {"id": "nova", "name": "Nova", "languageCode": "es-ES", "gender": "female"},
        ]
        gateway.fail("GET", "/phoneConnections/voices", json_reply(voices))

        page = open_form(editor_client)

        assert page.options("voice") == [
            ("", "Sarah (default)"),
            ("sarah", "Sarah (en-GB)"),
            ("nova", "Nova (es-ES)"),
        ]
        assert page.value("voice") == ""

    def test_the_documented_voices_are_offered_when_the_api_cannot_list_them(
        self, editor_client, gateway
    ):
        gateway.fail("GET", "/phoneConnections/voices", error_reply(500, "boom"))

        page = open_form(editor_client)

        assert [value for value, _ in page.options("voice")] == [
            "",
            "sarah",
            "theo",
            "megan",
            "jack",
        ]

    def test_language_offers_common_codes_and_takes_free_entry(self, editor_client):
        page = open_form(editor_client)

        field = page.control("language_code")
        assert field.tag == "input"
        assert field.attrs.get("type", "text") == "text"
        datalist = page.doc.one("datalist", id=field.attrs["list"])
        codes = {o.attrs["value"]: o.text for o in datalist.find_all("option")}
        assert {"en-US", "en-GB", "es-ES", "fr-FR", "de-DE"} <= set(codes)
        assert codes["en-US"] == "English (United States)"

    def test_who_speaks_first_is_a_clear_choice_that_defaults_to_the_caller(self, editor_client):
        page = open_form(editor_client)

        choices = dict(page.options("agent_speaks_first"))
        assert set(choices) == {"true", "false"}
        assert "caller speaks first" in choices["false"]
        assert "agent speaks first" in choices["true"]
        assert page.value("agent_speaks_first") == "false"

    def test_carries_a_one_time_token_and_where_to_go_back(self, editor_client):
        first, second = open_form(editor_client), open_form(editor_client)

        assert SUBMISSION_TOKEN.fullmatch(first.value("submission"))
        assert first.value("submission") != second.value("submission")
        assert first.value("next") == FILTERED_LIST
        assert first.link("Cancel") == FILTERED_LIST
        assert "Save" in first.buttons()
        assert "Save and add another" in first.buttons()

    def test_cancel_without_next_goes_to_the_list(self, editor_client):
        page = open_form(editor_client, next_url=None)

        assert page.link("Cancel") == LIST_URL
        assert "next" not in page.submission_data()

    def test_every_input_has_a_label(self, editor_client):
        page = open_form(editor_client)

        labelled = {label.attrs.get("for") for label in page.form.find_all("label")}
        for control in page.form.find_all("input") + page.form.find_all("select"):
            if control.attrs.get("type") in ("hidden", "submit"):
                continue
            inside_label = any(a.tag == "label" for a in control.ancestors())
            assert control.attrs.get("id") in labelled or inside_label, control.attrs

    def test_help_texts_are_linked_to_their_inputs(self, editor_client):
        """Screen readers read an input's help through aria-describedby: the ids must exist."""
        page = open_form(editor_client)

        ids = {el.attrs["id"] for el in page.doc.iter() if "id" in el.attrs}
        for control in page.form.iter():
            described_by = control.attrs.get("aria-describedby")
            if described_by:
                assert set(described_by.split()) <= ids, (control.attrs["name"], described_by)


# --- Saving ----------------------------------------------------------------------------------


class TestSaving:
    def test_typed_number_is_saved_in_e164_and_person_returns_to_the_list(
        self, editor_client, api, product
    ):
        data = filled(open_form(editor_client), product["id"])

        response = editor_client.post(CREATE_URL, data)

        assert response.status_code == 302
        assert response.url == FILTERED_LIST
        row = created(api, data["name"])
        assert row["productId"] == product["id"]
        assert row["phoneNumber"] == "+14155552671"
        assert row["voice"] is None
        assert row["languageCode"] is None
        assert row["agentSpeaksFirst"] is False
        shown = Page(editor_client.get(response.url))
        assert shown.messages == [f"Created “{data['name']}” (+14155552671)."]

    @pytest.mark.parametrize(
        ("typed", "e164"),
        [
            ("+1 (415) 555-2671", "+14155552671"),
            ("0044 20 7946 0958", "+442079460958"),
            ("+34 912 34 56 78", "+34912345678"),
            ("  +49 30-1234567.8 ", "+493012345678"),
            ("+442079460958", "+442079460958"),
        ],
    )
    def test_numbers_as_people_type_them(self, editor_client, api, product, typed, e164):
        data = filled(open_form(editor_client), product["id"], phone_number=typed)

        response = editor_client.post(CREATE_URL, data)

        assert response.status_code == 302, FormPage(response).all_field_errors()
        assert created(api, data["name"])["phoneNumber"] == e164

    def test_every_field_reaches_the_api(self, editor_client, gateway, product):
        data = filled(
            open_form(editor_client),
            product["id"],
            voice="jack",
            language_code="EN-us",
            agent_speaks_first="true",
        )

        response = editor_client.post(CREATE_URL, data)

        assert response.status_code == 302
        assert gateway.bodies("POST") == [
            {
                "productId": product["id"],
                "name": data["name"],
                "phoneNumber": "+14155552671",
                "agentSpeaksFirst": True,
                "voice": "jack",
                "languageCode": "en-US",
            }
        ]

    def test_the_default_voice_and_no_language_are_not_sent(self, editor_client, gateway, product):
        data = filled(open_form(editor_client), product["id"], voice="", language_code="")

        editor_client.post(CREATE_URL, data)

        (body,) = gateway.bodies("POST")
        assert "voice" not in body
        assert "languageCode" not in body
        assert body["agentSpeaksFirst"] is False

    @pytest.mark.parametrize("code", ["es-419", "zh-Hant-TW", "fr", "ca-ES"])
    def test_any_valid_language_code_can_be_typed(self, editor_client, api, product, code):
        data = filled(open_form(editor_client), product["id"], language_code=code)

        response = editor_client.post(CREATE_URL, data)

        assert response.status_code == 302
        assert created(api, data["name"])["languageCode"] == code

    def test_without_next_the_person_lands_on_the_new_connection(self, editor_client, api, product):
        data = filled(open_form(editor_client, next_url=None), product["id"])

        response = editor_client.post(CREATE_URL, data, follow=True)

        row = created(api, data["name"])
        assert response.redirect_chain == [(detail_url(row["id"]), 302)]
        page = Page(response)
        assert page.h1 == data["name"]
        assert page.messages == [f"Created “{data['name']}” (+14155552671)."]

    @pytest.mark.parametrize(
        "next_url",
        [
            "https://evil.example/phone-connections/",
            "//evil.example/phone-connections/",
            "/\\evil.example/",
            "http:///evil.example/",
            "javascript:alert(1)",
            "phone-connections/",
            "/\t/evil.example/",
            "/\n/evil.example/",
            " //evil.example/",
        ],
    )
    def test_next_never_leads_off_site(self, editor_client, api, product, next_url):
        page = open_form(editor_client, next_url=next_url)
        assert page.link("Cancel") == LIST_URL
        data = filled(page, product["id"], next=next_url)

        response = editor_client.post(CREATE_URL, data)

        assert response.status_code == 302
        assert response.url == detail_url(created(api, data["name"])["id"])

    def test_save_and_add_another_keeps_product_voice_and_the_way_back(
        self, editor_client, api, product
    ):
        first = open_form(editor_client)
        data = {**filled(first, product["id"], voice="megan"), "_addanother": "1"}

        response = editor_client.post(CREATE_URL, data, follow=True)

        assert response.redirect_chain[-1][0].startswith(CREATE_URL + "?")
        again = FormPage(response)
        assert again.messages == [f"Created “{data['name']}” (+14155552671)."]
        assert again.value("product") == product["id"]
        assert again.value("voice") == "megan"
        assert again.value("name") == ""
        assert again.value("phone_number") == ""
        assert again.value("next") == FILTERED_LIST
        assert SUBMISSION_TOKEN.fullmatch(again.value("submission"))
        assert again.value("submission") != first.value("submission")
        created(api, data["name"])

        second = again.submission_data(
            name=unique_name("Create test line"), phone_number="+34 912 345 678"
        )
        finished = editor_client.post(CREATE_URL, second)
        assert finished.url == FILTERED_LIST
        assert created(api, second["name"])["voice"] == "megan"


# --- Phone numbers ---------------------------------------------------------------------------


class TestPhoneNumbers:
    @pytest.mark.parametrize(
        ("typed", "message"),
        [
            ("415 555 2671", "Start with + and the country code"),
            ("+1 415 555", "wrong number of digits"),
            ("+1 415 555 26711234", "wrong number of digits"),
            ("+1 099 555 2671", "does not exist"),
            ("call me maybe", "Start with + and the country code"),
            ("+", "not a phone number"),
        ],
    )
    def test_an_invalid_number_is_explained_next_to_the_field(
        self, editor_client, api, product, typed, message
    ):
        data = filled(open_form(editor_client), product["id"], phone_number=typed)

        page = FormPage(editor_client.post(CREATE_URL, data))

        assert page.status == 400
        errors = page.field_errors("phone_number")
        assert len(errors) == 1
        assert message in errors[0]
        assert page.all_field_errors().keys() == {"phone_number"}
        assert page.value("phone_number") == typed
        assert page.value("name") == data["name"]
        assert page.value("product") == product["id"]
        assert "nothing was saved" in page.alert_text
        assert writes(api) == []

    def test_the_saved_form_of_a_typed_number_is_shown_before_saving(
        self, editor_client, api, product
    ):
        """A form sent back for another reason says what the number will be saved as."""
        data = filled(open_form(editor_client), product["id"], name="")

        page = FormPage(editor_client.post(CREATE_URL, data))

        assert page.status == 400
        assert page.field_errors("name")
        assert page.preview == "Saved as +14155552671"
        assert page.value("phone_number") == "+1 (415) 555-2671"

    def test_no_preview_when_the_number_is_typed_as_it_is_saved(self, editor_client, product):
        data = filled(open_form(editor_client), product["id"], name="", phone_number="+14155552671")

        page = FormPage(editor_client.post(CREATE_URL, data))

        assert page.preview == ""

    def test_the_number_check_says_what_will_be_saved(self, editor_client):
        response = editor_client.get(
            "/phone-connections/check-number/", {"number": "0044 20 7946 0958"}
        )

        assert response.status_code == 200
        assert response.json() == {
            "valid": True,
            "e164": "+442079460958",
            "formatted": "+44 20 7946 0958",
            "country": "United Kingdom",
        }

    @pytest.mark.parametrize("typed", ["", "12", "+1 415 555", "x" * 5000])
    def test_the_number_check_explains_a_bad_number(self, editor_client, typed):
        response = editor_client.get("/phone-connections/check-number/", {"number": typed})

        assert response.status_code == 200
        result = response.json()
        assert result["valid"] is False
        assert result["message"]


# --- Other invalid input ---------------------------------------------------------------------


class TestInvalidInput:
    @pytest.mark.parametrize(
        ("changes", "field"),
        [
            ({"product": ""}, "product"),
            ({"product": "prod_not_in_the_list"}, "product"),
            ({"name": "   "}, "name"),
            ({"name": "x" * 256}, "name"),
            ({"voice": "morgan"}, "voice"),
            ({"language_code": "english please"}, "language_code"),
            ({"language_code": "en_US"}, "language_code"),
            ({"agent_speaks_first": "maybe"}, "agent_speaks_first"),
        ],
    )
    def test_is_explained_next_to_its_field_and_nothing_is_sent(
        self, editor_client, api, product, changes, field
    ):
        data = filled(open_form(editor_client), product["id"], **changes)

        page = FormPage(editor_client.post(CREATE_URL, data))

        assert page.status == 400
        assert list(page.all_field_errors()) == [field]
        assert page.value("phone_number") == "+1 (415) 555-2671"
        assert writes(api) == []

    def test_a_damaged_token_is_refused(self, editor_client, api, product):
        data = filled(open_form(editor_client), product["id"], submission="not-a-token")

        page = FormPage(editor_client.post(CREATE_URL, data))

        assert page.status == 400
        assert writes(api) == []


# --- The API says no -------------------------------------------------------------------------


class TestRejections:
    def test_a_duplicate_name_is_explained_next_to_the_name(self, editor_client, api, product):
        existing = create_row(api, productId=product["id"])
        data = filled(
            open_form(editor_client),
            product["id"],
            name=existing["name"],
            voice="theo",
            language_code="en-GB",
            agent_speaks_first="true",
        )

        page = FormPage(editor_client.post(CREATE_URL, data))

        assert page.status == 400
        assert page.all_field_errors() == {
            "name": ["Another phone connection of this product already has this name."]
        }
        assert page.submission_data() == {
            **data,
            "csrfmiddlewaretoken": page.value("csrfmiddlewaretoken"),
        }
        assert len(find_by_name(api, existing["name"])) == 1
        assert not ChangeRecord.objects.exists()

    def test_the_same_name_in_another_product_is_fine(self, editor_client, api):
        first, second = products(api)[:2]
        existing = create_row(api, productId=first["id"])
        data = filled(open_form(editor_client), second["id"], name=existing["name"])

        response = editor_client.post(CREATE_URL, data)

        assert response.status_code == 302
        assert len(find_by_name(api, existing["name"])) == 2

    @pytest.mark.parametrize(
        ("message", "field"),
        [
            ("phoneNumber must be a valid phone number in E.164 format.", "phone_number"),
            ("voice must be one of sarah, theo, megan, jack or null, not 'jack'.", "voice"),
            ("languageCode must be a language code such as en-US.", "language_code"),
            ("Product not found: prod_x", "product"),
            ("name must be at most 100 characters long.", "name"),
            ("Unsupported voice for this PhoneConnection.", "voice"),
            ("Invalid languageCode for PhoneConnection: use en-US.", "language_code"),
        ],
    )
    def test_a_rejected_value_is_explained_next_to_its_field(
        self, editor_client, gateway, product, message, field
    ):
        gateway.fail("POST", "/phoneConnections", error_reply(400, message, "Bad Request"))
        data = filled(open_form(editor_client), product["id"], voice="jack", language_code="en-US")

        page = FormPage(editor_client.post(CREATE_URL, data))

        assert page.status == 400
        assert page.all_field_errors() == {field: [message]}
        assert page.value("name") == data["name"]
        assert page.value("phone_number") == "+1 (415) 555-2671"
        assert page.value("voice") == "jack"
        assert not ChangeRecord.objects.exists()
        assert not CreateSubmission.objects.exists()

    def test_a_rejection_about_no_field_is_shown_at_the_top(self, editor_client, gateway, product):
        gateway.fail("POST", "/phoneConnections", error_reply(400, "Quota of lines reached."))
        data = filled(open_form(editor_client), product["id"])

        page = FormPage(editor_client.post(CREATE_URL, data))

        assert page.status == 400
        assert page.all_field_errors() == {}
        assert "Quota of lines reached." in page.alert_text
        assert page.value("name") == data["name"]

    def test_after_a_rejection_the_corrected_form_saves(self, editor_client, api, product):
        existing = create_row(api, productId=product["id"])
        data = filled(open_form(editor_client), product["id"], name=existing["name"])
        rejected = FormPage(editor_client.post(CREATE_URL, data))
        assert rejected.status == 400

        corrected = rejected.submission_data(name=unique_name("Create test line"))
        response = editor_client.post(CREATE_URL, corrected)

        assert response.status_code == 302
        assert created(api, corrected["name"])["phoneNumber"] == "+14155552671"


# --- Galtea fails ----------------------------------------------------------------------------


class TestUpstreamFailures:
    @pytest.mark.parametrize(
        ("reply", "status", "title"),
        [
            (HANG, 504, "Galtea took too long to answer"),
            (RESET, 503, "Galtea cannot be reached"),
            (error_reply(500, "boom"), 502, "Galtea had an internal error"),
            (Reply(503, b"<html>Service Unavailable</html>", "text/html"), 502, "internal error"),
        ],
        ids=["timeout", "connection-reset", "500", "503-html"],
    )
    def test_keep_the_form_and_say_nothing_was_saved(
        self, editor_client, gateway, product, reply, status, title
    ):
        gateway.fail("POST", "/phoneConnections", reply)
        data = filled(open_form(editor_client), product["id"], voice="theo", language_code="fr")

        page = FormPage(editor_client.post(CREATE_URL, data))

        assert page.status == status
        assert "Nothing was saved." in page.alert_text
        assert title in page.alert_text
        assert page.value("name") == data["name"]
        assert page.value("phone_number") == "+1 (415) 555-2671"
        assert page.value("voice") == "theo"
        assert page.value("language_code") == "fr"
        assert page.value("product") == product["id"]
        assert len(gateway.bodies("POST")) == 1, "a create must never be sent twice"
        assert not ChangeRecord.objects.exists()
        assert find_by_name(gateway.target, data["name"]) == []

    def test_api_gone_after_the_form_was_opened_keeps_the_form(
        self, editor_client, api, product, settings, closed_port_url
    ):
        data = filled(open_form(editor_client), product["id"])
        settings.GALTEA_API_URL = closed_port_url

        page = FormPage(editor_client.post(CREATE_URL, data))

        assert page.status == 503
        assert "Nothing was saved." in page.alert_text
        assert page.value("name") == data["name"]
        assert page.value("phone_number") == "+1 (415) 555-2671"
        assert not ChangeRecord.objects.exists()

    def test_after_a_failure_saving_again_goes_through(self, editor_client, gateway, product):
        gateway.fail("POST", "/phoneConnections", error_reply(502, "bad gateway"))
        failed = FormPage(
            editor_client.post(CREATE_URL, filled(open_form(editor_client), product["id"]))
        )
        assert failed.status == 502
        gateway.faults.clear()

        response = editor_client.post(CREATE_URL, failed.submission_data())

        assert response.status_code == 302
        assert len(find_by_name(gateway.target, failed.value("name"))) == 1


# --- Sending the same form twice -------------------------------------------------------------


class TestDoubleSubmit:
    def test_the_same_form_sent_twice_creates_one_connection(self, editor_client, api, product):
        data = filled(open_form(editor_client), product["id"])

        first = editor_client.post(CREATE_URL, data, follow=True)
        second = editor_client.post(CREATE_URL, data, follow=True)

        row = created(api, data["name"])
        assert first.redirect_chain == [(FILTERED_LIST, 302)]
        assert second.redirect_chain == [(detail_url(row["id"]), 302)]
        assert Page(second).messages == [
            "This form was already sent: the phone connection exists already."
        ]
        assert [w["method"] for w in writes(api)] == ["POST"]
        assert ChangeRecord.objects.filter(object_id=row["id"]).count() == 1

    def test_a_form_still_being_saved_is_not_sent_again(self, editor_client, editor, api, product):
        """The first submit has not come back yet when the second arrives."""
        data = filled(open_form(editor_client), product["id"])
        CreateSubmission.objects.create(token=data["submission"], user=editor)

        page = FormPage(editor_client.post(CREATE_URL, data))

        assert page.status == 409
        assert "being saved already" in page.alert_text
        assert page.value("name") == data["name"]
        assert writes(api) == []

    def test_two_forms_create_two_connections(self, editor_client, api, product):
        one = filled(open_form(editor_client), product["id"])
        two = filled(open_form(editor_client), product["id"])

        editor_client.post(CREATE_URL, one)
        editor_client.post(CREATE_URL, two)

        created(api, one["name"])
        created(api, two["name"])
        assert [w["method"] for w in writes(api)] == ["POST", "POST"]

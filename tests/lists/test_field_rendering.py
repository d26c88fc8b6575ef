"""How a form field is drawn (`lists/_field.html` through Django's form rendering): label,
widget, help, errors, the "(optional)" marker, and a fieldset for a choice of options, on
the admin's own forms. Text is escaped throughout, and aria-describedby names only ids that
are on the page."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.http import QueryDict
from django.urls import reverse

from galtea_admin.audit.filters import ChangeRecordFilter
from galtea_admin.galtea.products import Product
from galtea_admin.galtea.voices import Voice
from galtea_admin.phone_connections.filters import PhoneConnectionFilter
from galtea_admin.phone_connections.forms import PhoneConnectionForm
from tests.html_tree import Element, parse

PRODUCTS = [
    Product("product_alpha", "Alpha", None, datetime.now(UTC)),
    Product("product_beta", "Beta <b>", None, datetime.now(UTC)),
]
VOICES = [Voice("jack", "Jack", "en-US", "male")]
TYPED = {
    "product": "product_alpha",
    "name": "Support line",
    "phone_number": "+1 (415) 555-2671",
    "voice": "",
    "language_code": "",
    "agent_speaks_first": "false",
    "submission": "0" * 32,
}


def filters(query: str = "") -> PhoneConnectionFilter:
    filter_set = PhoneConnectionFilter(QueryDict(query), products=PRODUCTS)
    filter_set.form.is_valid()
    return filter_set


def create_form(**typed) -> PhoneConnectionForm:
    form = PhoneConnectionForm({**TYPED, **typed}, products=PRODUCTS, voices=VOICES)
    form.is_valid()
    return form


def drawn(form, name: str) -> Element:
    return parse(str(form[name].as_field_group()))


def described_ids_exist(page: Element) -> None:
    ids = {el.attrs["id"] for el in page.iter() if "id" in el.attrs}
    for el in page.iter():
        if "aria-describedby" in el.attrs:
            named = el.attrs["aria-describedby"].split()
            assert named, el.attrs
            assert len(named) == len(set(named)), el.attrs
            assert set(named) <= ids, el.attrs


class TestTextField:
    def test_a_text_filter_has_its_label_and_value(self):
        page = drawn(filters("name=sup").form, "name")

        box = page.one("div", class_="field")
        assert not box.has_class("field-invalid")
        assert box.one("label", for_="id_name").text == "Name contains"
        control = box.one("input", id="id_name")
        assert control.attrs["type"] == "text"
        assert control.attrs["name"] == "name"
        assert control.attrs["value"] == "sup"
        assert "aria-describedby" not in control.attrs and "aria-invalid" not in control.attrs
        assert box.find("p") is None

    def test_an_error_is_shown_under_the_box_and_tied_to_it(self):
        page = drawn(filters("name=" + "x" * 201).form, "name")

        box = page.one("div", class_="field")
        assert box.has_class("field-invalid")
        error = box.one("p", class_="field-error")
        assert error.attrs["id"] == "id_name_error"
        assert error.text == "Ensure this value has at most 200 characters (it has 201)."
        control = box.one("input", id="id_name")
        assert control.attrs["aria-describedby"] == "id_name_error"
        assert control.attrs["aria-invalid"] == "true"
        described_ids_exist(page)

    def test_help_text_is_tied_to_the_box(self):
        page = drawn(filters().form, "phone")

        help_text = page.one("p", class_="help")
        assert help_text.attrs["id"] == "id_phone_helptext"
        assert help_text.text == "Spaces, dashes and brackets are ignored."
        assert page.one("input").attrs["aria-describedby"] == "id_phone_helptext"


class TestValueList:
    def test_a_value_list_is_a_small_textarea_holding_what_was_typed(self):
        page = drawn(filters("names=Alpha%0ABeta").form, "names")

        box = page.one("div", class_="field")
        assert box.one("label", for_="id_names").text == "Exact names"
        area = box.one("textarea", id="id_names")
        assert area.attrs["name"] == "names" and area.attrs["rows"] == "2"
        assert area.raw_text().removeprefix("\n") == "Alpha\nBeta"
        assert box.one("p", class_="help", id="id_names_helptext").text == "One name per line."
        assert area.attrs["aria-describedby"] == "id_names_helptext"

    def test_an_error_is_described_after_the_help(self):
        page = drawn(filters("ids=bad!id").form, "ids")

        box = page.one("div", class_="field-invalid")
        area = box.one("textarea", id="id_ids")
        assert area.attrs["aria-describedby"] == "id_ids_helptext id_ids_error"
        assert box.one("p", class_="field-error", id="id_ids_error").text.startswith(
            "An id has only letters, digits"
        )
        described_ids_exist(page)

    def test_what_was_typed_is_shown_as_text(self):
        page = drawn(filters("phones=%3Cb%3Ex%3C%2Fb%3E").form, "phones")

        assert page.one("textarea").raw_text().removeprefix("\n") == "<b>x</b>"
        error = page.one("p", class_="field-error")
        assert error.text == "Not valid international numbers: <b>x</b>."
        assert page.find("b") is None


class TestCheckboxList:
    def test_a_checkbox_list_is_a_fieldset_with_the_chosen_values_checked(self):
        page = drawn(filters("product=product_beta").form, "product")

        fieldset = page.one("fieldset", class_="field")
        assert not fieldset.has_class("field-invalid")
        assert "aria-describedby" not in fieldset.attrs
        assert fieldset.one("legend").text == "Product"
        group = fieldset.one("div", id="id_product")
        assert group.has_class("checkbox-list")
        boxes = group.find_all("input", type="checkbox")
        assert [box.attrs["value"] for box in boxes] == ["product_alpha", "product_beta"]
        assert [box.attrs["value"] for box in boxes if "checked" in box.attrs] == ["product_beta"]
        labels = {label.attrs["for"]: label.text for label in group.find_all("label")}
        assert [labels[box.attrs["id"]] for box in boxes] == ["Alpha", "Beta <b>"]
        assert all(box.attrs["name"] == "product" for box in boxes)
        assert fieldset.find("b") is None

    def test_an_unknown_value_is_an_error_of_the_fieldset(self):
        page = drawn(filters("product=product_gone").form, "product")

        fieldset = page.one("fieldset", class_="field-invalid")
        error = fieldset.one("p", class_="field-error", id="id_product_error")
        assert error.text == "There is no product with the id product_gone."
        assert fieldset.attrs["aria-describedby"] == "id_product_error"
        described_ids_exist(page)


class TestDateTime:
    def test_a_date_and_time_is_a_browser_picker(self):
        page = drawn(filters("created_from=2025-01-02T03:04").form, "created_from")

        box = page.one("div", class_="field")
        assert box.one("label", for_="id_created_from").text == "Created from"
        picker = box.one("input", id="id_created_from")
        assert picker.attrs["type"] == "datetime-local"
        assert picker.attrs["value"] == "2025-01-02T03:04"

    def test_a_value_from_python_is_written_as_the_picker_reads_it(self):
        filter_set = PhoneConnectionFilter(None, products=PRODUCTS)
        form = filter_set.form
        form.initial["created_to"] = datetime(2025, 3, 31, 14, 30, 59)

        assert drawn(form, "created_to").one("input").attrs["value"] == "2025-03-31T14:30"

    def test_a_date_that_is_not_one_says_how_to_write_it(self):
        page = drawn(filters("created_to=soon").form, "created_to")

        box = page.one("div", class_="field-invalid")
        assert box.one("input").attrs["value"] == "soon"
        assert box.one("p", class_="field-error", id="id_created_to_error").text == (
            "Enter a date and time, e.g. 2025-03-31 14:30."
        )
        described_ids_exist(page)


class TestRadios:
    def test_a_choice_of_options_is_a_fieldset_with_a_legend(self):
        page = drawn(PhoneConnectionForm(products=PRODUCTS, voices=VOICES), "agent_speaks_first")

        fieldset = page.one("fieldset", class_="field")
        assert fieldset.one("legend").text == "Who speaks first"
        assert "aria-describedby" not in fieldset.attrs
        radios = fieldset.find_all("input", type="radio")
        assert [radio.attrs["value"] for radio in radios] == ["false", "true"]
        assert [radio.attrs["value"] for radio in radios if "checked" in radio.attrs] == ["false"]
        labels = {label.attrs["for"]: label.text for label in fieldset.find_all("label")}
        assert labels[radios[0].attrs["id"]] == "The simulated caller speaks first"
        assert fieldset.find("span", class_="optional") is None

    def test_an_error_is_inside_the_fieldset_and_describes_it(self):
        page = drawn(create_form(agent_speaks_first="maybe"), "agent_speaks_first")

        fieldset = page.one("fieldset", class_="field-invalid")
        error = fieldset.one("p", class_="field-error", id="id_agent_speaks_first_error")
        assert "maybe is not one of the available choices" in error.text
        assert fieldset.attrs["aria-describedby"] == "id_agent_speaks_first_error"
        described_ids_exist(page)


def test_a_hidden_field_is_only_its_input():
    page = drawn(PhoneConnectionForm(products=PRODUCTS, voices=VOICES), "submission")

    (control,) = [el for el in page.iter() if el.tag != "#document"]
    assert control.tag == "input"
    assert control.attrs["type"] == "hidden"
    assert control.attrs["name"] == "submission"
    assert len(control.attrs["value"]) == 32


def test_several_errors_of_one_field_are_all_described():
    form = create_form(name="")
    form.add_error("name", "Another phone connection of this product already has this name.")

    page = drawn(form, "name")

    errors = page.one(id="id_name_error")
    assert [p.text for p in errors.find_all("p", class_="field-error")] == [
        "This field is required.",
        "Another phone connection of this product already has this name.",
    ]
    assert page.one("input").attrs["aria-describedby"] == "id_name_helptext id_name_error"
    described_ids_exist(page)


class TestOptionalMarker:
    def test_a_filter_form_marks_no_field_optional(self):
        form = filters().form

        for field in form:
            page = parse(str(field.as_field_group()))
            assert page.find("span", class_="optional") is None, field.name
            assert "(optional)" not in page.text

    @pytest.mark.django_db
    def test_the_activity_filters_mark_no_field_optional(self):
        form = ChangeRecordFilter(QueryDict("action=create")).form

        labels = [parse(str(field.as_field_group())).one("label").text for field in form]

        assert labels == ["User", "Action", "From", "To", "Kind", "Name or id"]

    def test_the_create_form_marks_voice_and_language_optional(self):
        form = PhoneConnectionForm(products=PRODUCTS, voices=VOICES)

        labels = {
            field.name: parse(str(field.as_field_group())).one("label", for_=field.id_for_label)
            for field in form.visible_fields()
            if not field.use_fieldset
        }

        assert {name: label.text for name, label in labels.items()} == {
            "product": "Product",
            "name": "Name",
            "phone_number": "Phone number",
            "voice": "Voice (optional)",
            "language_code": "Language (optional)",
        }
        assert labels["voice"].one("span", class_="optional").text == "(optional)"

    def test_a_field_that_cannot_be_changed_is_not_marked_optional(self):
        form = PhoneConnectionForm(products=PRODUCTS, voices=VOICES, record=None, editing=True)

        page = drawn(form, "product")

        assert page.one("label").text == "Product"
        assert "disabled" in page.one("select").attrs
        assert (
            page.one("p", class_="help").text
            == "A phone connection cannot move to another product."
        )


class TestPhoneNumber:
    def test_the_phone_number_has_a_preview_that_asks_the_admin(self):
        page = drawn(PhoneConnectionForm(products=PRODUCTS, voices=VOICES), "phone_number")

        box = page.one("div", class_="field")
        assert box.one("label", for_="id_phone_number").text == "Phone number"
        assert box.one("input", id="id_phone_number").attrs["type"] == "tel"
        preview = box.one("p", id="number-preview")
        assert preview.attrs["data-check-url"] == reverse("phone_connections:check_number")
        assert preview.attrs["role"] == "status"
        assert preview.text == ""
        described_ids_exist(page)

    def test_a_form_sent_back_for_another_reason_says_what_the_number_is_saved_as(self):
        page = drawn(create_form(name=""), "phone_number")

        preview = page.one("p", id="number-preview")
        assert preview.text == "Saved as +14155552671"
        assert preview.one("strong").text == "+14155552671"

    def test_a_wrong_number_shows_its_error_and_no_preview(self):
        page = drawn(create_form(phone_number="12"), "phone_number")

        box = page.one("div", class_="field-invalid")
        error = box.one("p", class_="field-error", id="id_phone_number_error")
        assert error.text.startswith("Start with + and the country code")
        control = box.one("input", id="id_phone_number")
        assert control.attrs["aria-describedby"] == (
            "id_phone_number_helptext id_phone_number_error"
        )
        assert box.one("p", id="number-preview").text == ""
        described_ids_exist(page)

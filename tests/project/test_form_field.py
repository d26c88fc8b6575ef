"""`{% form_field %}`: how every form field of the admin is drawn (label, widget, help,
errors, the optional marker), text escaped throughout."""

from __future__ import annotations

from django import forms

from galtea_admin.lists.templatetags.form_fields import form_field
from tests.html_tree import parse


class SampleForm(forms.Form):
    name = forms.CharField(label="Name <b>", help_text="Shown to <people>.")
    note = forms.CharField(label="Note", required=False)
    locked = forms.CharField(label="Locked", required=False, disabled=True)
    side = forms.ChoiceField(
        label="Who speaks first",
        choices=[("agent", "Agent"), ("caller", "Caller")],
        widget=forms.RadioSelect,
        help_text="The one who talks first.",
    )
    token = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean_name(self):
        raise forms.ValidationError("Not <this> name.")


def drawn(field, **options):
    return parse(str(form_field(field, **options)))


def test_a_field_has_its_label_widget_help_and_errors():
    form = SampleForm({"name": "<x>", "side": "agent"})
    assert not form.is_valid()

    page = drawn(form["name"])

    box = page.one("div", class_="field")
    assert box.has_class("field-invalid")
    assert box.one("label", for_="id_name").text == "Name <b>"
    assert box.one("input", name="name").attrs["value"] == "<x>"
    assert box.one("p", class_="help", id="id_name_helptext").text == "Shown to <people>."
    assert box.one("p", class_="field-error", id="id_name_error").text == "Not <this> name."
    assert page.find("span", class_="optional") is None


def test_only_optional_fields_say_so_and_never_in_filters():
    form = SampleForm()

    assert drawn(form["note"]).one("label").text == "Note (optional)"
    assert drawn(form["note"], in_filters=True).one("label").text == "Note"
    assert drawn(form["locked"]).one("label").text == "Locked"  # fixed, not optional
    assert not drawn(form["note"]).one("div").has_class("field-invalid")


def test_a_choice_of_options_is_a_fieldset_with_a_legend():
    form = SampleForm({"side": "nobody"})
    form.is_valid()

    fieldset = drawn(form["side"]).one("fieldset", class_="field")

    assert fieldset.has_class("field-invalid")
    assert fieldset.one("legend").text == "Who speaks first"
    assert fieldset.attrs["aria-describedby"] == "id_side_helptext"
    assert [radio.attrs["value"] for radio in fieldset.find_all("input")] == ["agent", "caller"]
    assert (
        "nobody is not one of the available choices" in fieldset.one("p", class_="field-error").text
    )


def test_a_hidden_field_is_only_its_input():
    page = drawn(SampleForm(initial={"token": "abc"})["token"])

    assert page.one("input").attrs == {
        "type": "hidden",
        "name": "token",
        "value": "abc",
        "id": "id_token",
    }
    assert page.find("div") is None and page.find("label") is None

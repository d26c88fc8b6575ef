"""The create/edit form every resource's form is built on.

A resource's form declares a `product` field and one field per updatable record attribute
(named as the attribute), and says which words of an API rejection point at which field.
This base adds what every create and edit needs: the product choices, a one-time token so
that a double submit creates once, the signed values an edit was opened with (to tell the
person's changes from someone else's), the fields a person changed, and API rejections shown
at their field.
"""

from __future__ import annotations

import secrets

from django import forms
from django.core import signing

from galtea_admin.galtea.errors import GalteaRejected
from galtea_admin.galtea.resources import ResourceSpec

ORIGINAL_SALT = "galtea-admin-form-original"
DAMAGED = "This form was damaged: reload the page."


class ResourceForm(forms.Form):
    spec: ResourceSpec
    product = forms.ChoiceField(label="Product")
    # Words in an API rejection message that point at a field (first match wins).
    rejection_hints: tuple[tuple[str, str], ...] = (("product", "product"), ("name", "name"))

    def __init__(
        self,
        *args,
        products,
        record=None,
        editing: bool = False,
        absent_fields=frozenset(),
        **kwargs,
    ):
        """`record`: the entity being edited, as it is now (None when creating, or when it
        has vanished meanwhile: the typed data is kept). `absent_fields`: record attributes
        the API does not have: the form has no field for them and never sends them."""
        kwargs.setdefault("initial", {})
        # The entity the hidden original must be of (unknown when it has vanished).
        self.entity_id = record.id if editing and record is not None else None
        if editing and record is not None:
            kwargs["initial"].update(self.initial_from(record))
            kwargs["initial"]["original"] = self.sign_original(record)
        if not editing:
            kwargs["initial"].setdefault("submission", secrets.token_hex(16))
        super().__init__(*args, **kwargs)
        self.editing = editing
        self.absent_fields = frozenset(absent_fields)
        for name in self.absent_fields:
            self.fields.pop(name, None)
        product = self.fields["product"]
        product.choices = [("", "Choose a product…")] + [(p.id, p.name) for p in products]
        if editing:
            self.fields["original"] = forms.CharField(widget=forms.HiddenInput)
            # The product is shown, never sent: it must not fail the form when the product
            # list is unavailable or the entity has vanished.
            product.disabled = True
            product.required = False
            product.help_text = f"A {self.spec.name} cannot move to another product."
            if record is not None and record.product_id not in dict(product.choices):
                product.choices = [*product.choices, (record.product_id, record.product_id)]
        else:
            self.fields["submission"] = forms.RegexField(
                regex=r"^[0-9a-f]{32}$",
                widget=forms.HiddenInput,
                error_messages={"invalid": "Reload."},
            )
        for name in self.secrets:
            self.prepare_secret(name, record)
        # Each "remove" box right after its secret.
        self.order_fields(
            [
                n
                for name in self.fields
                if not name.startswith("remove_")
                for n in (name, f"remove_{name}")
            ]
        )

    # Write-only values (a secret the API takes and never returns): the field is a password
    # input that never shows a value; an edit keeps the current one unless a new one is typed
    # or "remove" is ticked.
    @property
    def secrets(self) -> list[str]:
        return [name for name in self.spec.write_only if name in self.fields]

    def prepare_secret(self, name: str, record) -> None:
        field = self.fields[name]
        field.widget = forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"})
        if not self.editing:
            return
        label = in_sentence(field.label)
        is_set = getattr(record, f"has_{name}", False) if record is not None else False
        field.help_text = (
            f"A {label} is set: leave this empty to keep it, or type a new one to replace it."
            if is_set
            else f"No {label} is set: type one to set it."
        )
        if is_set or self.is_bound:
            self.fields[f"remove_{name}"] = forms.BooleanField(
                label=f"Remove the {label}", required=False
            )

    def typed_secrets(self) -> dict[str, str]:
        """The secrets typed into this (bound) form, by field name."""
        return {
            name: self.data.get(self.add_prefix(name), "")
            for name in self.secrets
            if self.is_bound and self.data.get(self.add_prefix(name))
        }

    @property
    def dropped_secrets(self) -> list[str]:
        """Labels of the secrets typed that this form, shown again, does not hold any more."""
        return [in_sentence(self.fields[name].label) for name in self.typed_secrets()]

    def redact(self, text: str) -> str:
        """`text` (an API message) without any secret typed into this form."""
        for value in self.typed_secrets().values():
            text = text.replace(value, "[hidden]")
        return text

    def clean_one(self, name: str, raw):
        """`raw` cleaned as this form cleans its field `name` (the field, then its
        `clean_<name>`), alone: for values that come from elsewhere (a bulk edit, a file)."""
        value = self.fields[name].clean(raw)
        self.cleaned_data = {name: value}
        cleaner = getattr(self, f"clean_{name}", None)
        return cleaner() if cleaner else value

    def clean(self):
        data = super().clean()
        for name in self.secrets:
            if data.get(name) and data.get(f"remove_{name}"):
                label = in_sentence(self.fields[name].label)
                self.add_error(name, f"Type a new {label} or remove it, not both.")
        return data

    def secret_changes(self) -> dict[str, object]:
        """The secrets to send: a typed one replaces; "remove" clears (None)."""
        changes: dict[str, object] = {}
        for name in self.secrets:
            if self.cleaned_data.get(name):
                changes[name] = self.cleaned_data[name]
            elif self.cleaned_data.get(f"remove_{name}"):
                changes[name] = None
        return changes

    def initial_from(self, record) -> dict[str, object]:
        """The form's values for an entity as it is (choices are strings)."""
        initial: dict[str, object] = {"product": record.product_id}
        for name, value in self.spec.updatable_values(record).items():
            if isinstance(value, bool):
                value = "true" if value else "false"
            initial[name] = "" if value is None else value
        return initial

    def snapshot(self, record) -> dict[str, object]:
        """What an edit compares: every updatable value and, of each secret, only whether one
        is set (its value is never known here, nor put in a page)."""
        values = self.spec.updatable_values(record)
        for name in self.spec.write_only:
            values[name] = bool(getattr(record, f"has_{name}", False))
        return values

    @property
    def original_salt(self) -> str:
        # One per resource: an original signed for another kind of entity never verifies.
        return f"{ORIGINAL_SALT}:{self.spec.path}"

    def sign_original(self, record) -> str:
        return signing.dumps(
            {"id": record.id, "values": self.snapshot(record)}, salt=self.original_salt
        )

    def clean_original(self):
        """The snapshot the form was opened with. Signed, so it cannot be forged; it must
        also be of this entity and hold what a snapshot holds (a form of an older release,
        or one copied from another entity's page, is refused)."""
        try:
            opened = signing.loads(self.cleaned_data["original"], salt=self.original_salt)
        except signing.BadSignature:
            raise forms.ValidationError(DAMAGED) from None
        values = opened.get("values") if isinstance(opened, dict) else None
        expected = {*self.spec.updatable, *self.spec.write_only}
        if (
            not isinstance(values, dict)
            or set(values) != expected
            or (self.entity_id is not None and opened.get("id") != self.entity_id)
        ):
            raise forms.ValidationError(DAMAGED)
        return values

    def values(self) -> dict[str, object]:
        """The updatable fields' cleaned values (those the API has)."""
        return {
            name: self.cleaned_data[name]
            for name in self.spec.updatable
            if name not in self.absent_fields
        }

    def create_values(self) -> dict[str, object]:
        """What a create sends: the product, every updatable field and the secrets typed."""
        return {
            "product_id": self.cleaned_data["product"],
            **self.values(),
            **self.secret_changes(),
        }

    def comparable_original(self, original: dict) -> dict:
        """The values the form was opened with, as this form would clean them (a resource
        whose API keeps values as they were sent normalises them here)."""
        return original

    def opened_values(self) -> dict[str, object]:
        """The entity as it was when the form was opened (comparable to its cleaned values)."""
        return self.comparable_original(dict(self.cleaned_data["original"]))

    def current_values(self, record) -> dict[str, object]:
        """The entity as it is now, in the same terms as `opened_values`."""
        return self.comparable_original(self.snapshot(record))

    def changes(self) -> dict[str, object]:
        """The fields the person changed compared to when the form was opened."""
        original = self.opened_values()
        changed = {k: v for k, v in self.values().items() if v != original.get(k)}
        return {**changed, **self.secret_changes()}

    def reopen_with(self, record, *, keep=()) -> None:
        """Make the hidden original the entity as it is now (after a collision), and every
        field but those in `keep` (the person's changes) show its value now, so that saving
        again keeps the person's changes and no one else's is undone."""
        data = self.data.copy()
        data[self.add_prefix("original")] = self.sign_original(record)
        now = self.initial_from(record)
        for name in self.spec.updatable:
            if name in self.fields and name not in keep:
                data[self.add_prefix(name)] = now[name]
        self.data = data

    def apply_rejection(self, error: GalteaRejected) -> None:
        """Show the API's message next to the field it is about, or at the top (without any
        secret typed into the form)."""
        message = self.redact(error.message)
        if error.is_duplicate_name:
            self.add_error(
                "name", f"Another {self.spec.name} of this product already has this name."
            )
            return
        lowered = message.lower().replace(" ", "")
        for hint, name in self.rejection_hints:
            if hint in lowered and name in self.fields and not self.fields[name].disabled:
                self.add_error(name, message)
                return
        self.add_error(None, message)


def in_sentence(label) -> str:
    """A field's label inside a sentence: "Password" → "password", "API key" stays."""
    label = str(label)
    return label if label[1:2].isupper() else label[:1].lower() + label[1:]

"""The product filter offers and accepts the products of its own request, even though every
filter set shares one form class."""

from __future__ import annotations

from datetime import UTC, datetime

from django.http import QueryDict

from galtea_admin.galtea.products import Product
from galtea_admin.phone_connections.filters import PhoneConnectionFilter


def products(*names):
    return [Product(f"product_{name}", name.title(), None, datetime.now(UTC)) for name in names]


def test_each_filter_set_checks_against_its_own_products():
    first = PhoneConnectionFilter(QueryDict("product=product_alpha"), products=products("alpha"))
    second = PhoneConnectionFilter(QueryDict("product=product_alpha"), products=products("beta"))

    assert first.is_valid()
    assert first.qs.condition("product_ids") == ("product_alpha",)
    assert not second.is_valid()
    assert second.form.errors["product"] == ["There is no product with the id product_alpha."]
    assert [value for value, _ in second.form.fields["product"].choices] == ["product_beta"]
    assert type(first.form) is type(second.form)

"""Links to many connections' pages (ConnectionUrls): the URLs reverse() makes, one
reverse() per page name rather than one per row."""

from __future__ import annotations

from unittest import mock

import pytest
from django.urls import reverse

from galtea_admin.phone_connections import navigation
from galtea_admin.phone_connections.navigation import ConnectionUrls

IDS = [
    "phoneConnection_0123abcd",
    "with space",
    "per%cent",
    "question?mark#hash",
    "colon:at@plus+semi;eq=amp&",
    "ünïcødé-ид",
    "quote'\"<tag>",
    "..",
]


@pytest.mark.parametrize("name", ["detail", "update", "delete"])
@pytest.mark.parametrize("connection_id", IDS)
def test_each_url_is_the_one_reverse_makes(name, connection_id):
    assert ConnectionUrls()(name, connection_id) == reverse(
        f"phone_connections:{name}", args=[connection_id]
    )


def test_one_reverse_per_page_name_however_many_rows():
    urls = ConnectionUrls()

    with mock.patch.object(navigation, "reverse", wraps=reverse) as reversing:
        for number in range(25):
            urls("detail", f"phoneConnection_{number}")
            urls("delete", f"phoneConnection_{number}")

    assert sorted(call.args[0] for call in reversing.call_args_list) == [
        "phone_connections:delete",
        "phone_connections:detail",
    ]

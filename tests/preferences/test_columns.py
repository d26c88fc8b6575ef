"""Column choice: each person hides, shows and reorders the list's columns for themselves;
the table's headers and cells follow, and nobody else's list changes.

Name (with the row checkbox before it and the actions after it) is always shown in place.
"""

from __future__ import annotations

import pytest

from galtea_admin.preferences.models import TableConfig
from tests.pages import (
    COLUMN_LABELS,
    COLUMNS_URL,
    CONFIGURABLE_COLUMNS,
    CSV_HEADER,
    HIDDEN_BY_DEFAULT,
    ListView,
    export_url,
    list_url,
    open_list,
    read_csv,
)
from tests.phone_connections.pages import LIST_URL, api_rows, list_calls, sort_query

pytestmark = pytest.mark.django_db

DEFAULT_HEADERS = ["Name", *COLUMN_LABELS.values()]


def choose(client, *, order=CONFIGURABLE_COLUMNS, show=CONFIGURABLE_COLUMNS, query="", **extra):
    """Send the Columns panel as a person would: every column in its order, the ticked ones."""
    data = {"order": list(order), "show": list(show), "query": query, **extra}
    return client.post(COLUMNS_URL, data)


def headers(page: ListView) -> list[str]:
    """The data columns of the table (without the row checkbox and the actions)."""
    return [name for name in page.column_names if name not in ("", "Actions")]


def labels(names) -> list[str]:
    return [COLUMN_LABELS[name] for name in names]


class TestHiding:
    def test_hidden_columns_leave_the_table(self, viewer_client, api):
        response = choose(viewer_client, show=["product", "phone", "created"], query="sort=name")

        assert response.status_code == 302
        assert response.url == f"{LIST_URL}?sort=name"
        page = open_list(viewer_client, response.url)
        assert page.column_names == ["Name", "Product", "Phone number", "Created (UTC)"]
        assert all(len(row) == 4 for row in page.rows)

    def test_the_panel_shows_the_hidden_ones_unticked_after_the_shown_ones(
        self, viewer_client, api
    ):
        choose(viewer_client, show=["created", "product"], order=["created", "voice", "product"])

        page = open_list(viewer_client, LIST_URL)

        assert [(c.name, c.label, c.shown) for c in page.column_choices] == [
            ("created", "Created (UTC)", True),
            ("product", "Product", True),
            ("phone", "Phone number", False),
            ("voice", "Voice", False),
            ("language", "Language", False),
            ("speaks_first", "Speaks first", False),
            ("used_by", "Used by", False),
        ]

    def test_everything_hidden_still_shows_name_and_actions(self, editor_client, api):
        choose(editor_client, show=[])

        page = open_list(editor_client, LIST_URL)

        # The selection boxes first: an Editor can edit rows in bulk.
        assert page.column_names == ["", "Name", "Actions"]
        assert len(page.row_ids) == 25

    def test_name_checkbox_and_actions_cannot_be_hidden(self, manager_client, api):
        choose(
            manager_client,
            order=["name", "select", "actions", "voice"],
            show=["voice"],
        )

        page = open_list(manager_client, LIST_URL)

        assert page.column_names == ["", "Name", "Voice", "Actions"]
        assert len(page.selection_boxes) == 25
        assert [c.name for c in page.column_choices] == CONFIGURABLE_COLUMNS[2:3] + [
            name for name in CONFIGURABLE_COLUMNS + HIDDEN_BY_DEFAULT if name != "voice"
        ]

    def test_unknown_column_names_are_ignored(self, viewer_client, api):
        response = choose(
            viewer_client, order=["secret", "voice", "created"], show=["secret", "voice"]
        )

        assert response.status_code == 302
        assert headers(open_list(viewer_client, LIST_URL)) == ["Name", "Voice"]
        assert TableConfig.objects.get().columns == ["voice"]


class TestReordering:
    def test_the_table_follows_the_chosen_order(self, viewer_client, api):
        order = ["created", "voice", "phone", "product", "language", "speaks_first"]

        choose(viewer_client, order=order, show=order)

        page = open_list(viewer_client, LIST_URL)
        assert page.column_names == ["Name", *labels(order)]

    def test_cells_move_with_their_headers(self, viewer_client, api):
        order = ["created", "phone", "product"]
        choose(viewer_client, order=order, show=order)

        page = open_list(viewer_client, list_url({"sort": "name"}))

        first = page.rows[0]
        expected = api_rows(api, sort="name", limit=1)[0]
        assert first["Created (UTC)"].find("time") is not None
        assert (
            first["Phone number"].one("span", class_="phone").attrs["title"]
            == (expected["phoneNumber"])
        )
        assert first["Product"].one("span").attrs["title"] == expected["productId"]
        cells = page.table.one("tbody").find("tr").find_all("td")
        assert cells[1].find("time") is not None, "Created is the column after Name"

    @pytest.mark.parametrize(
        ("move", "expected"),
        [
            ("created:up", ["product", "phone", "voice", "language", "created", "speaks_first"]),
            ("product:down", ["phone", "product", "voice", "language", "speaks_first", "created"]),
            ("product:up", CONFIGURABLE_COLUMNS),
            ("created:down", CONFIGURABLE_COLUMNS),
        ],
        ids=["up", "down", "first-up-stays", "last-down-stays"],
    )
    def test_a_column_moves_one_place_with_the_arrow_buttons(
        self, viewer_client, api, move, expected
    ):
        choose(viewer_client, move=move)

        page = open_list(viewer_client, LIST_URL)

        assert page.column_names == ["Name", *labels(expected)]
        assert [c.name for c in page.column_choices] == expected + HIDDEN_BY_DEFAULT

    def test_moves_add_up_and_keep_hidden_columns_hidden(self, viewer_client, api):
        shown = ["product", "phone", "created"]
        choose(viewer_client, show=shown)
        for _ in range(2):
            page = open_list(viewer_client, LIST_URL)
            choose(
                viewer_client,
                order=[c.name for c in page.column_choices],
                show=[c.name for c in page.column_choices if c.shown],
                move="created:up",
            )

        page = open_list(viewer_client, LIST_URL)

        assert page.column_names == ["Name", "Created (UTC)", "Product", "Phone number"]

    def test_the_arrows_at_the_ends_are_disabled(self, viewer_client, api):
        page = open_list(viewer_client, LIST_URL)

        choices = page.column_choices
        assert not choices[0].can_move_up and choices[0].can_move_down
        assert choices[-1].can_move_up and not choices[-1].can_move_down
        assert all(c.can_move_up and c.can_move_down for c in choices[1:-1])


class TestResetting:
    def test_reset_brings_back_every_column_in_the_default_order(self, viewer_client, api):
        choose(viewer_client, order=reversed(CONFIGURABLE_COLUMNS), show=["voice"])

        response = viewer_client.post(
            COLUMNS_URL, {"reset": "1", "query": "sort=-name&per_page=50"}, follow=True
        )

        assert response.redirect_chain == [(f"{LIST_URL}?sort=-name&per_page=50", 302)]
        page = ListView(response)
        assert page.messages == ["Columns reset to the default."]
        assert page.column_names == DEFAULT_HEADERS
        assert [c.name for c in page.column_choices if not c.shown] == HIDDEN_BY_DEFAULT
        assert not TableConfig.objects.exists()


class TestPerPerson:
    def test_one_persons_choice_leaves_everyone_elses_list_alone(
        self, client, operator, manager, api
    ):
        client.force_login(manager)
        choose(client, order=["created", "product"], show=["created", "product"])
        assert headers(open_list(client, LIST_URL)) == ["Name", "Created (UTC)", "Product"]

        client.force_login(operator)
        page = open_list(client, LIST_URL)

        assert page.column_names == DEFAULT_HEADERS
        assert [c.name for c in page.column_choices if not c.shown] == HIDDEN_BY_DEFAULT

    def test_each_person_keeps_their_own_choice(self, client, operator, manager, api):
        client.force_login(manager)
        choose(client, show=["voice"])
        client.force_login(operator)
        choose(client, show=["language", "created"])

        client.force_login(manager)
        assert headers(open_list(client, LIST_URL)) == ["Name", "Voice"]
        client.force_login(operator)
        assert headers(open_list(client, LIST_URL)) == ["Name", "Language", "Created (UTC)"]

    def test_resetting_is_for_oneself_only(self, client, operator, manager, api):
        client.force_login(manager)
        choose(client, show=["voice"])
        client.force_login(operator)
        choose(client, show=["created"])

        client.post(COLUMNS_URL, {"reset": "1"})

        assert headers(open_list(client, LIST_URL)) == DEFAULT_HEADERS
        client.force_login(manager)
        assert headers(open_list(client, LIST_URL)) == ["Name", "Voice"]

    def test_the_choice_is_kept_after_signing_out(self, client, operator, api):
        client.force_login(operator)
        choose(client, show=["phone"])
        client.logout()

        client.force_login(operator)

        assert headers(open_list(client, LIST_URL)) == ["Name", "Phone number"]


class TestWhatColumnsDoNotChange:
    @pytest.mark.parametrize(
        ("sort", "hidden"),
        [("phone", "phone"), ("-phone", "phone"), ("created", "created")],
    )
    def test_hiding_the_sorted_column_keeps_the_sort(self, viewer_client, api, sort, hidden):
        shown = [name for name in CONFIGURABLE_COLUMNS if name != hidden]
        choose(viewer_client, show=shown)
        api.clear_request_log()

        page = open_list(viewer_client, list_url({"sort": sort}))

        assert sort_query(sort) in list_calls(api)[-1]["query"]
        assert page.row_ids == [row["id"] for row in api_rows(api, sort=sort, limit=25)]

    def test_the_export_keeps_every_field(self, viewer_client, api):
        choose(viewer_client, show=["voice"])

        lines = read_csv(viewer_client.get(export_url("csv", {"name": "support"})))

        assert lines[0] == CSV_HEADER
        assert all(len(line) == len(CSV_HEADER) for line in lines)

    def test_the_list_returns_with_its_filters_and_sort(self, viewer_client, api):
        query = "name=support&sort=-phone&per_page=50"

        response = choose(viewer_client, show=["phone"], query=query)

        assert response.url == f"{LIST_URL}?{query}"

    def test_the_panel_carries_the_lists_query(self, viewer_client, api):
        page = open_list(viewer_client, list_url({"name": "support", "sort": "-phone"}))

        form = page.doc.one("form", class_="columns-form")
        assert form.attrs["action"] == COLUMNS_URL
        assert form.one("input", name="query").attrs["value"] == "name=support&sort=-phone"


class TestRefusals:
    def test_only_by_post(self, viewer_client, api):
        response = viewer_client.get(COLUMNS_URL + "?show=voice")

        assert response.status_code == 405
        assert not TableConfig.objects.exists()

    def test_only_known_lists(self, viewer_client, api):
        response = viewer_client.post("/preferences/activity/columns/", {"show": ["voice"]})

        assert response.status_code in (403, 404)
        assert not TableConfig.objects.exists()

    def test_signed_out_people_cannot_choose(self, client, api):
        response = client.post(COLUMNS_URL, {"show": ["voice"]})

        assert response.status_code == 302
        assert response.url.startswith("/accounts/login/")
        assert not TableConfig.objects.exists()

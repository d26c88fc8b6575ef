"""Which columns of a table a person sees, and in what order."""

from __future__ import annotations

from dataclasses import dataclass

from galtea_admin.preferences.models import TableConfig


@dataclass(frozen=True)
class ColumnChoice:
    name: str
    label: str
    shown: bool


def configurable_columns(table_class) -> dict[str, str]:
    """name → label of the columns a person may hide or move (all but the fixed ones)."""
    return {
        name: str(column.verbose_name or name.replace("_", " ").capitalize())
        for name, column in table_class.base_columns.items()
        if name not in table_class.FIXED_COLUMNS
    }


def chosen_columns(user, table: str, available: list[str], hidden=()) -> list[str]:
    """The columns the user chose to see, in order; when never configured, all of them but
    those `hidden` by default."""
    default = [name for name in available if name not in hidden]
    if user is None:
        return default
    columns = TableConfig.objects.filter(user=user, table=table).values_list("columns", flat=True)
    chosen = next(iter(columns), None)
    if chosen is None:
        return default
    return [name for name in chosen if name in available]


def column_choices(columns: dict[str, str], shown: list[str]) -> list[ColumnChoice]:
    """Every configurable column, the `shown` ones first in their chosen order."""
    hidden = [name for name in columns if name not in shown]
    return [ColumnChoice(name, columns[name], name in shown) for name in shown + hidden]


def move(order: list[str], name: str, step: int) -> list[str]:
    """`order` with `name` moved `step` places (clamped at the ends)."""
    if name not in order:
        return order
    order = list(order)
    index = order.index(name)
    target = max(0, min(len(order) - 1, index + step))
    order.insert(target, order.pop(index))
    return order


def save_columns(user, table: str, shown: list[str]) -> None:
    TableConfig.objects.update_or_create(user=user, table=table, defaults={"columns": shown})


def reset_columns(user, table: str) -> None:
    TableConfig.objects.filter(user=user, table=table).delete()

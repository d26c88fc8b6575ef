"""Seeded names stay unique within each product, as the API requires."""

from __future__ import annotations


class UniqueNames:
    """Hands out names unique within each product, suffixing ` #2`, ` #3`… on a clash."""

    def __init__(self) -> None:
        self._taken: dict[str, set[str]] = {}
        self._next_suffix: dict[tuple[str, str], int] = {}

    def claim(self, product_id: str, name: str) -> str:
        taken = self._taken.setdefault(product_id, set())
        unique = name
        while unique in taken:
            suffix = self._next_suffix.get((product_id, name), 2)
            self._next_suffix[(product_id, name)] = suffix + 1
            unique = f"{name} #{suffix}"
        taken.add(unique)
        return unique

"""The contract tests count and order rows, so they get an emulator no other test writes to."""

import pytest

from tests.conftest import SEEDED_ROWS
from tests.emulator_process import start_emulator


@pytest.fixture(scope="package")
def emulator(tmp_path_factory):
    running = start_emulator(tmp_path_factory.mktemp("contract-emulator"), seed=SEEDED_ROWS)
    yield running
    running.stop()

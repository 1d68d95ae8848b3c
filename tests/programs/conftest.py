import pytest
from django.core.cache import cache

from tests.programs.factories import world as build_world


@pytest.fixture(autouse=True)
def private_files(settings, tmp_path):
    settings.VILLAGE_PRIVATE_FILES_DIR = tmp_path / "private"
    cache.clear()


@pytest.fixture
def world(db):
    return build_world()

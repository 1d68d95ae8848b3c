import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english_by_default():
    """A request in another language leaves that language active in the thread; start each
    test from the site's default."""
    translation.activate("en")
    yield
    translation.deactivate()

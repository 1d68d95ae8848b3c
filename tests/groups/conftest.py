import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def empty_page_cache():
    """Tests run inside a transaction that is never committed, so the public page cache's
    generation (moved on commit) would carry pages from one test into the next."""
    cache.clear()

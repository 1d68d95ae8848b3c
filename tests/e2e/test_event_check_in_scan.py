"""Check-in by camera: Chromium's fake camera films a registration's QR code (a YUV4MPEG2 video
the test writes), the staff page reads it and checks the person in, as if the code were typed.

Chromium on Linux has no BarcodeDetector, so there the vendored jsQR path is what runs; the test
records which path ran in its output (`decoder=...`)."""

from pathlib import Path

import pytest
import qrcode
from axe_playwright_python.sync_playwright import Axe
from django.utils import translation
from django.utils.translation import gettext
from PIL import Image

from tests.e2e.conftest import CHROMIUM_FLAGS, staff_sign_in
from tests.events.factories import EventFactory, SessionFactory
from tests.orgs.factories import person_with_role
from tests.services import chromium_path
from village.events import services
from village.events.models import Attendance
from village.events.services import Registrant
from village.orgs.roles import Role

pytestmark = pytest.mark.django_db(transaction=True)

WIDTH, HEIGHT = 640, 480


def qr_video(path: Path, text: str, *, frames: int = 15) -> Path:
    """A short y4m video (4:2:0, grey) of `text` as a QR code, as a phone would film it."""
    code = qrcode.QRCode(box_size=10, border=4)
    code.add_data(text)
    image = code.make_image(fill_color="black", back_color="white").get_image().convert("L")
    frame = Image.new("L", (WIDTH, HEIGHT), 255)
    frame.paste(image, ((WIDTH - image.width) // 2, (HEIGHT - image.height) // 2))
    luma = frame.tobytes()
    chroma = bytes([128]) * (WIDTH // 2 * HEIGHT // 2)
    with path.open("wb") as out:
        out.write(f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(frames):
            out.write(b"FRAME\n" + luma + chroma + chroma)
    return path


@pytest.fixture
def camera_filming(browser, tmp_path):
    """Start a Chromium whose camera films the given text as a QR code; returns a phone page.
    (The camera is fixed when the browser starts, so each call starts one, through the
    suite's Playwright.)"""
    browsers = []

    def open_phone(text: str):
        video = qr_video(tmp_path / f"qr-{len(browsers)}.y4m", text)
        filming = browser.browser_type.launch(
            executable_path=chromium_path(),
            args=[
                *CHROMIUM_FLAGS,
                "--use-fake-ui-for-media-stream",
                "--use-fake-device-for-media-stream",
                f"--use-file-for-fake-video-capture={video}",
            ],
        )
        browsers.append(filming)
        context = filming.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=2)
        return context.new_page()

    yield open_phone
    for filming in browsers:
        filming.close()


def test_staff_scan_a_registrants_qr_code_and_check_them_in(
    live_server, camera_filming, artifacts_dir
):
    event = EventFactory()
    session = SessionFactory(event=event, title={"en": "Welcome", "es": "Bienvenida"})
    registration = services.registration_create(
        event=event, registrant=Registrant(full_name="Dalia Farah", mobile="+16175550142")
    )
    person_with_role(Role.DISTRICT_STAFF, event.organisation, email="staff@example.org")
    # The manage page's QR code encodes the registration's code: film exactly that.
    phone = camera_filming(registration.code)
    staff_sign_in(phone, live_server, "staff@example.org", "es")
    phone.goto(f"{live_server.url}/staff/events/{event.pk}/check-in/")
    console = []
    phone.on("console", lambda message: console.append(message.text))

    phone.locator("#scan-toggle").click()
    result = phone.locator(".check-in-result")
    result.wait_for(timeout=20_000)
    decoder = phone.locator("#check-in-code").get_attribute("data-decoder")
    print(f"decoder={decoder}")
    assert decoder in ("jsqr", "barcode-detector")
    assert result.get_attribute("data-outcome") == "checked_in", (result.inner_text(), console)
    with translation.override("es"):
        expected = gettext("Checked in: %(name)s") % {"name": "Dalia Farah"}
    assert expected in result.inner_text() and "Bienvenida" in result.inner_text()
    assert Attendance.objects.filter(registration=registration, session=session).count() == 1
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    phone.screenshot(path=str(artifacts_dir / "event-check-in-scan-es.png"), full_page=True)
    violations = [
        f"{v['id']} ({v['impact']}): {v['help']}"
        for v in Axe().run(phone).response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert violations == []

    phone.locator("#scan-toggle").click()  # stop the camera
    assert phone.locator("#scan-video").is_hidden()
    assert Attendance.objects.filter(registration=registration).count() == 1


def test_a_qr_code_of_another_event_is_refused(live_server, camera_filming):
    event = EventFactory()
    SessionFactory(event=event)
    other_event = EventFactory(organisation=event.organisation)
    SessionFactory(event=other_event)
    stranger = services.registration_create(
        event=other_event, registrant=Registrant(full_name="Omar", email="omar@example.org")
    )
    person_with_role(Role.DISTRICT_STAFF, event.organisation, email="staff@example.org")
    phone = camera_filming(stranger.code)
    staff_sign_in(phone, live_server, "staff@example.org", "en")
    phone.goto(f"{live_server.url}/staff/events/{event.pk}/check-in/")
    phone.locator("#scan-toggle").click()
    result = phone.locator(".check-in-result")
    result.wait_for(timeout=20_000)
    assert result.get_attribute("data-outcome") == "other_event"
    assert "This code is for another event." in result.inner_text()
    assert "Omar" not in result.inner_text()
    assert not Attendance.objects.exists()

"""A small LibreTranslate-compatible server on loopback, for tests: `POST /translate` with JSON
or form fields q, source, target, format, api_key; answers {"translatedText": ...} from a tiny
phrase book, or {"error": ...} with 400/403 as LibreTranslate does."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl

PHRASES = {
    ("en", "es"): {
        "School is closed today.": "La escuela está cerrada hoy.",
        "Snow day": "Día de nieve",
    },
    ("en", "ar"): {"School is closed today.": "المدرسة مغلقة اليوم.", "Snow day": "يوم ثلج"},
}


class FakeLibreTranslate:
    def __init__(self, *, api_key="lt-key"):
        self.api_key = api_key
        self.requests: list[dict] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def _handler(self):
        service = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _answer(self, status, payload):
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self):  # noqa: N802
                raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                if self.headers.get("Content-Type", "").startswith("application/json"):
                    fields = json.loads(raw or b"{}")
                else:
                    fields = dict(parse_qsl(raw.decode()))
                service.requests.append(fields)
                if self.path != "/translate":
                    return self._answer(404, {"error": "Not Found"})
                if fields.get("api_key") != service.api_key:
                    return self._answer(403, {"error": "Invalid API key"})
                book = PHRASES.get((fields.get("source"), fields.get("target")))
                if book is None:
                    return self._answer(400, {"error": f"{fields.get('target')} is not supported"})
                self._answer(200, {"translatedText": book.get(fields["q"], fields["q"])})

        return Handler

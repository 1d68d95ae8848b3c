/* Check-in by camera: the "Scan" button opens the rear camera and reads QR codes until stopped.
   Each code read is put in the code field and the form is sent (htmx posts it and shows the
   answer, exactly as when the code is typed). Decoding uses the browser's BarcodeDetector
   where it reads QR codes, else jsQR (vendored, loaded only then). No inline code (CSP). */
(function () {
  "use strict";

  var button = document.getElementById("scan-toggle");
  var form = document.getElementById("check-in-code");
  var video = document.getElementById("scan-video");
  var status = document.getElementById("scan-status");
  if (form) {
    // After each answer the typed code is selected, so the next one simply replaces it.
    form.addEventListener("htmx:afterRequest", function () {
      var input = form.querySelector("input[name=code]");
      if (input && document.activeElement === input) {
        input.select();
      }
    });
  }
  if (!button || !form || !video || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    return;
  }
  var codeInput = form.querySelector("input[name=code]");
  var stream = null;
  var timer = null;
  var decode = null;
  var last = { text: "", at: 0 };
  var canvas = document.createElement("canvas");
  var context = canvas.getContext("2d", { willReadFrequently: true });
  // Which decoder ran, for tests and for whoever debugs a phone: "barcode-detector" or "jsqr".
  form.dataset.decoder = "";

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = src;
      script.onload = resolve;
      script.onerror = reject;
      document.head.appendChild(script);
    });
  }

  function barcodeDetector() {
    if (!("BarcodeDetector" in window)) {
      return Promise.resolve(null);
    }
    return window.BarcodeDetector.getSupportedFormats().then(function (formats) {
      if (formats.indexOf("qr_code") === -1) {
        return null;
      }
      var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
      return function () {
        return detector.detect(video).then(function (codes) {
          return codes.length ? codes[0].rawValue : null;
        });
      };
    }).catch(function () { return null; });
  }

  function jsqrDecoder() {
    var ready = window.jsQR ? Promise.resolve() : loadScript(button.dataset.decoder);
    return ready.then(function () {
      return function () {
        var width = video.videoWidth;
        var height = video.videoHeight;
        if (!width || !height) {
          return Promise.resolve(null);
        }
        // Phones film in high resolution; a QR code at arm's length reads fine at 640 px.
        var scale = Math.min(1, 640 / Math.max(width, height));
        canvas.width = Math.round(width * scale);
        canvas.height = Math.round(height * scale);
        context.drawImage(video, 0, 0, canvas.width, canvas.height);
        var image = context.getImageData(0, 0, canvas.width, canvas.height);
        var found = window.jsQR(image.data, image.width, image.height, { inversionAttempts: "attemptBoth" });
        return Promise.resolve(found ? found.data : null);
      };
    });
  }

  function chooseDecoder() {
    return barcodeDetector().then(function (detect) {
      if (detect) {
        form.dataset.decoder = "barcode-detector";
        return detect;
      }
      form.dataset.decoder = "jsqr";
      return jsqrDecoder();
    });
  }

  function found(text) {
    text = (text || "").trim();
    var now = Date.now();
    // The same code stays in front of the camera for a while: send it once.
    if (!text || (text === last.text && now - last.at < 4000)) {
      return;
    }
    last = { text: text, at: now };
    codeInput.value = text;
    if (navigator.vibrate) {
      navigator.vibrate(80);
    }
    form.requestSubmit();
  }

  function tick() {
    if (!stream) {
      return;
    }
    var next = function () { timer = window.setTimeout(tick, 200); };
    if (video.readyState < 2) {
      next();
      return;
    }
    decode().then(found).catch(function () {}).then(next);
  }

  function stop() {
    window.clearTimeout(timer);
    if (stream) {
      stream.getTracks().forEach(function (track) { track.stop(); });
    }
    stream = null;
    video.srcObject = null;
    video.hidden = true;
    button.textContent = button.dataset.startLabel;
  }

  function start() {
    status.textContent = "";
    navigator.mediaDevices.getUserMedia({ audio: false, video: { facingMode: { ideal: "environment" } } })
      .then(function (opened) {
        stream = opened;
        video.srcObject = stream;
        video.hidden = false;
        button.textContent = button.dataset.stopLabel;
        return video.play();
      })
      .then(function () { return decode || chooseDecoder(); })
      .then(function (chosen) {
        decode = chosen;
        tick();
      })
      .catch(function () {
        stop();
        status.textContent = button.dataset.cameraError;
      });
  }

  button.hidden = false;
  button.addEventListener("click", function () {
    if (stream) {
      stop();
    } else {
      start();
    }
  });
  window.addEventListener("pagehide", stop);
})();

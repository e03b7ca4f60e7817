/* Reports a missing page to the feedback service, so editors can add an alias.
   Sends only the path that was not found and the page the visitor came from;
   nothing else is read, stored or tracked, and no cookie is involved.
   A service on the site's own host is told at once; one on another host only when the
   visitor asks (the button), as no page sends anything elsewhere by itself. */
(function () {
  "use strict";

  var body = document.body;
  var endpoint = body && body.getAttribute("data-missing-endpoint");

  function send() {
    // Form encoding is a "simple" request: no CORS preflight, works with sendBeacon.
    var data = new URLSearchParams();
    data.set("path", location.pathname);
    data.set("referrer", document.referrer || "");
    try {
      return navigator.sendBeacon(endpoint, data);
    } catch (e) {
      return false;   /* a report is a nicety; never break the 404 page for it */
    }
  }

  function start() {
    if (!endpoint || !navigator.sendBeacon) {
      return;
    }
    if (new URL(endpoint, location.href).origin === location.origin) {
      send();
      return;
    }
    var offer = document.querySelector(".missing-report");
    var thanks = document.querySelector(".missing-thanks");
    if (!offer || !thanks) {
      return;
    }
    offer.hidden = false;
    offer.querySelector("button").addEventListener("click", function () {
      if (send()) {
        offer.hidden = true;
        thanks.textContent = body.getAttribute("data-missing-thanks") || "";
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

/* Reports a missing page to the feedback service, so editors can add an alias.
   Sends only the path that was not found and the page the visitor came from;
   nothing else is read, stored or tracked, and no cookie is involved. */
(function () {
  "use strict";

  function report() {
    var endpoint = document.body && document.body.getAttribute("data-missing-endpoint");
    if (!endpoint || !navigator.sendBeacon) {
      return;
    }
    // Form encoding is a "simple" request: no CORS preflight, works with sendBeacon.
    var data = new URLSearchParams();
    data.set("path", location.pathname);
    data.set("referrer", document.referrer || "");
    try {
      navigator.sendBeacon(endpoint, data);
    } catch (e) {
      /* a report is a nicety; never break the 404 page for it */
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", report);
  } else {
    report();
  }
})();

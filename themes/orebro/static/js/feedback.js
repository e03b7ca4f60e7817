// "Hade du nytta av innehållet?": with JavaScript the answer is sent in place and thanked for;
// without it the form posts normally and the service redirects back to #tack.
// Each answer carries a random idempotency key in a hidden field: when the answer is sent
// again (the plain form post below, after a failed or unanswered fetch), the service stores
// it once.
(function () {
  var form = document.querySelector("form.feedback");
  if (!form || !window.fetch) return;

  function newKey() {
    var cryptoApi = window.crypto;
    if (!cryptoApi || !cryptoApi.getRandomValues) return "";
    var bytes = cryptoApi.getRandomValues(new Uint8Array(16));
    return Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
  }

  function keyField() {
    var field = form.querySelector('input[name="idempotency_key"]');
    if (!field) {
      field = document.createElement("input");
      field.type = "hidden";
      field.name = "idempotency_key";
      form.appendChild(field);
    }
    return field;
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var key = newKey();
    if (key) keyField().value = key;
    var body = new URLSearchParams(new FormData(form));
    fetch(form.action, { method: "POST", body: body, headers: { Accept: "application/json" } })
      .then(function (response) { if (!response.ok) throw new Error(response.status); })
      .then(function () {
        form.classList.add("sent");
        var thanks = form.querySelector(".thanks");
        if (thanks) { thanks.setAttribute("tabindex", "-1"); thanks.focus(); }
      })
      .catch(function () { form.submit(); });  // the same fields, the same key
  });
})();

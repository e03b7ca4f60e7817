// "Hade du nytta av innehållet?": with JavaScript the answer is sent in place and thanked for;
// without it the form posts normally and the service redirects back to #tack.
(function () {
  var form = document.querySelector("form.feedback");
  if (!form || !window.fetch) return;
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var body = new URLSearchParams(new FormData(form));
    fetch(form.action, { method: "POST", body: body, headers: { Accept: "application/json" } })
      .then(function (response) { if (!response.ok) throw new Error(response.status); })
      .then(function () {
        form.classList.add("sent");
        var thanks = form.querySelector(".thanks");
        if (thanks) { thanks.setAttribute("tabindex", "-1"); thanks.focus(); }
      })
      .catch(function () { form.submit(); });
  });
})();

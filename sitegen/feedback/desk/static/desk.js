/* The editorial desk works without this file. With it, each alias line gets a copy button. */
(function () {
  "use strict";
  if (!navigator.clipboard) { return; }
  document.querySelectorAll("input.alias[data-copy]").forEach(function (input) {
    var button = document.createElement("button");
    var status = document.createElement("span");
    button.type = "button";
    button.className = "secondary copy";
    button.textContent = input.getAttribute("data-copy");
    status.setAttribute("role", "status");
    status.className = "copied";
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(input.value).then(function () {
        status.textContent = input.getAttribute("data-copied");
      });
    });
    input.parentNode.appendChild(button);
    input.parentNode.appendChild(status);
  });
})();

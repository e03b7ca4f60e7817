// Click-to-load embeds of social media posts. Until the visitor clicks "Visa inlägget",
// the page asks nothing of the network: no request, no cookie. The link to the post on the
// network is always there, with or without JavaScript.
(function () {
  if (window.sitegenEmbeds) return;  // the script tag follows every embed; run once
  window.sitegenEmbeds = true;
  var SIZES = { instagram: [540, 720], facebook: [500, 600] };

  function load(figure, button) {
    var frame = document.createElement("iframe");
    var size = SIZES[figure.getAttribute("data-network")];
    frame.src = figure.getAttribute("data-player");
    frame.title = figure.getAttribute("data-frame-title");
    frame.className = "embed-frame";
    frame.setAttribute("allow", "encrypted-media; picture-in-picture; fullscreen");
    frame.setAttribute("referrerpolicy", "strict-origin-when-cross-origin");
    frame.style.width = "100%";
    frame.style.border = "0";
    if (size) {
      frame.style.maxWidth = size[0] + "px";
      frame.style.height = size[1] + "px";
    } else {
      frame.style.aspectRatio = "16 / 9";
    }
    var action = button.parentNode;
    action.parentNode.replaceChild(frame, action);
    var notice = figure.querySelector(".embed-notice");
    if (notice) notice.hidden = true;
    frame.focus();
  }

  function start() {
    document.querySelectorAll("figure.social-embed").forEach(function (figure) {
      var button = figure.querySelector(".embed-load");
      if (!button) return;
      button.parentNode.hidden = false;
      button.addEventListener("click", function () { load(figure, button); });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();

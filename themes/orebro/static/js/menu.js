// The main menu is a <details>: it opens and closes with click, Enter and Space without any
// script. This adds what a menu button is expected to do as well: Escape closes it and puts
// focus back on the button, and a click outside the open menu closes it.
(function () {
  var menu = document.querySelector("details.main-menu");
  if (!menu) return;
  var button = menu.querySelector("summary");
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && menu.open) {
      menu.open = false;
      button.focus();
    }
  });
  document.addEventListener("click", function (event) {
    if (menu.open && !menu.contains(event.target)) menu.open = false;
  });
})();

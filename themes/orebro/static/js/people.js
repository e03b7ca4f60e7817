// "Sök person": the whole list is in the page; this filters it in place as the visitor types.
// Without JavaScript the filter field stays hidden and every person is listed.
(function () {
  var box = document.querySelector(".people-filter");
  var input = document.getElementById("people-q");
  var count = document.getElementById("people-count");
  if (!box || !input || !count) return;
  var people = Array.prototype.slice.call(document.querySelectorAll(".people .person"));
  box.hidden = false;

  function words(text) {
    return text.toLowerCase().split(/\s+/).filter(Boolean);
  }

  function filter() {
    var query = words(input.value);
    var shown = 0;
    people.forEach(function (person) {
      var text = person.getAttribute("data-search");
      var match = query.every(function (word) { return text.indexOf(word) !== -1; });
      person.hidden = !match;
      if (match) shown += 1;
    });
    count.textContent = shown === 0 ? count.getAttribute("data-none")
      : count.getAttribute("data-template").replace("{shown}", shown).replace("{total}", people.length);
  }

  var timer;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(filter, 150);  // the count is a live region: announce once typing pauses
  });
})();

// "Sök person": the whole list is in the page; this filters it in place as the visitor types.
// Without JavaScript the filter field stays hidden and every person is listed.
// A phone number is found however it is typed: 0701740609, 070-174 06 09, +46 70 174 06 09
// (each person's data-phone holds the number's digits in the Swedish national form, 070…).
(function () {
  var box = document.querySelector(".people-filter");
  var input = document.getElementById("people-q");
  var count = document.getElementById("people-count");
  if (!box || !input || !count) return;
  var people = Array.prototype.slice.call(document.querySelectorAll(".people .person"));
  box.hidden = false;

  // Digits and what people put between them (a "+" alone is the start of a number).
  function looksLikePhone(text) {
    return /^[\s\d()+\-\/.]+$/.test(text) && /[\d+]/.test(text);
  }

  // The digits of a typed number in the national form the page holds: "+46 (0)70" and
  // "0046 70" become "070". Returns "" while a country code is still being typed ("+4"),
  // which matches every number, so the list does not empty between two key presses.
  function nationalDigits(typed) {
    var text = typed.trim();
    var digits = text.replace(/\D/g, "");
    var international = text.charAt(0) === "+" || digits.indexOf("00") === 0;
    if (!international) return digits;
    var code = text.charAt(0) === "+" ? digits : digits.slice(2);
    if (code.length < 2) return "46".indexOf(code) === 0 ? "" : "00" + code;
    if (code.indexOf("46") !== 0) return "00" + code;
    return "0" + code.slice(2).replace(/^0/, "");
  }

  function words(text) {
    return text.toLowerCase().split(/\s+/).filter(Boolean);
  }

  function phoneMatches(person, typed) {
    var phone = person.getAttribute("data-phone") || "";
    var digits = nationalDigits(typed);
    return phone !== "" && phone.indexOf(digits) !== -1;
  }

  function matches(person, typed) {
    if (looksLikePhone(typed)) return phoneMatches(person, typed);
    var text = person.getAttribute("data-search");
    return words(typed).every(function (word) {
      return text.indexOf(word) !== -1 || (/\d/.test(word) && looksLikePhone(word) && phoneMatches(person, word));
    });
  }

  function filter() {
    var typed = input.value;
    var shown = 0;
    people.forEach(function (person) {
      var match = typed.trim() === "" || matches(person, typed);
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

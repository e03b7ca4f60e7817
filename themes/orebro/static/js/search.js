// Site search on the page sok/: queries the Pagefind index of this site (same origin, under
// <site>/pagefind/). The form is hidden until this script runs; without JavaScript the page
// says so and links to the site map. ?q= in the address is searched on load, so results can
// be linked and the back button works.
(function () {
  var form = document.querySelector("form.site-search");
  if (!form) return;
  var input = form.querySelector("#search-q");
  var filterBox = form.querySelector(".search-filters");
  var status = document.getElementById("search-status");
  var list = document.querySelector(".search-results");
  var more = document.querySelector(".search-more");
  var found = [];
  var BATCH = 10;
  var pagefind = null;
  var selects = {};
  var latest = 0;

  form.hidden = false;

  function text(key) { return form.getAttribute("data-" + key) || ""; }

  // A large site's index comes in parts, merged into one search. sitegen-pagefind.js is
  // Pagefind's program with the list of the other parts added (sitegenParts), so the parts
  // are known without a request of their own.
  function load() {
    if (!pagefind) {
      pagefind = import(text("bundle") + "sitegen-pagefind.js").then(function (module) {
        // noWorker: Pagefind's web worker is another script (40 kB) and request before the
        // first result; searching an index of this size on the page's own thread takes a few ms.
        // basePath: the program is not at pagefind.js, where Pagefind would look for it.
        return module.options({ basePath: text("bundle"), baseUrl: "/", noWorker: true }).then(function () {
          return Promise.all((module.sitegenParts || []).map(function (name) {
            return module.mergeIndex(text("bundle") + name, { baseUrl: "/" });
          }));
        }).then(function () { return module; });
      });
    }
    return pagefind;
  }

  function addFilter(id, name, label, names) {
    if (!names || names.length < 2) return;
    var wrap = document.createElement("div");
    var lab = document.createElement("label");
    lab.htmlFor = id;
    lab.textContent = label;
    var select = document.createElement("select");
    select.id = id;
    var all = new Option(text("all"), "");
    select.add(all);
    names.forEach(function (value) { select.add(new Option(value, value)); });
    select.addEventListener("change", run);
    wrap.appendChild(lab);
    wrap.appendChild(select);
    filterBox.appendChild(wrap);
    selects[name] = select;
  }

  function chosenFilters() {
    var chosen = {};
    Object.keys(selects).forEach(function (name) {
      if (selects[name].value) chosen[name] = selects[name].value;
    });
    return chosen;
  }

  function plain(html) {
    var div = document.createElement("div");
    div.innerHTML = html;  // Pagefind's excerpt of our own pages; only its text is used
    return div.textContent;
  }

  // One result as a list item: its title linked, and its ingress (or Pagefind's excerpt).
  function item(result) {
    var li = document.createElement("li");
    var heading = document.createElement("h2");
    var link = document.createElement("a");
    link.href = result.url;
    link.textContent = (result.meta && result.meta.title) || result.url;
    heading.appendChild(link);
    li.appendChild(heading);
    var summary = (result.meta && result.meta.ingress) || plain(result.excerpt || "");
    if (summary) {
      var p = document.createElement("p");
      p.textContent = summary;
      li.appendChild(p);
    }
    return li;
  }

  // Results are fetched BATCH at a time (each is a request): the count is of all of them.
  function count(query, total) {
    var message = total === 0 ? text("none") : total === 1 ? text("count-one") : text("count");
    status.textContent = message.replace("{count}", total).replace("{query}", query);
  }

  // The next BATCH results after the first ``shown``, added to the list once all are loaded
  // (a new search empties the list only then, so the list is never seen half-way).
  function append(found, ticket, shown) {
    more.hidden = true;
    return Promise.all(found.slice(shown, shown + BATCH).map(function (r) { return r.data(); }))
      .then(function (results) {
        if (ticket !== latest) return null;
        if (shown === 0) list.textContent = "";
        var first = null;
        results.forEach(function (result) {
          var li = item(result);
          first = first || li;
          list.appendChild(li);
        });
        more.hidden = list.children.length >= found.length;
        return first;
      });
  }

  function run() {
    var query = input.value.trim();
    var ticket = ++latest;
    if (!query) {
      list.textContent = "";
      status.textContent = "";
      more.hidden = true;
      return;
    }
    load().then(function (module) {
      return module.search(query, { filters: chosenFilters() });
    }).then(function (search) {
      if (ticket !== latest) return;
      found = search.results;
      return append(found, ticket, 0).then(function () {
        if (ticket === latest) count(query, found.length);   // announced once the first results are there
      });
    }).catch(failed);
  }

  function failed() {
    more.hidden = true;
    status.textContent = text("failed");
  }

  // "Show more": the next results, and the keyboard focus on the first of them.
  more.addEventListener("click", function () {
    var ticket = latest;
    append(found, ticket, list.children.length).then(function (first) {
      var link = first && first.querySelector("a");
      if (link) link.focus();
    }).catch(failed);
  });

  var timer;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(run, 250);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var url = new URL(window.location.href);
    url.searchParams.set("q", input.value.trim());
    window.history.replaceState(null, "", url);
    run();
  });

  // The build wrote the filter choices into the page: the index is loaded at the first search.
  var choices = JSON.parse(text("filters") || "{}");
  addFilter("search-section", text("filter-section"), text("filter-section"), choices[text("filter-section")]);
  addFilter("search-type", text("filter-type"), text("filter-type"), choices[text("filter-type")]);

  var initial = new URLSearchParams(window.location.search).get("q");
  if (initial) {
    input.value = initial;
    run();
  }
})();

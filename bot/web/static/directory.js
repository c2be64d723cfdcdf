// The entry page's opening-hours check: as the lead types, the server says whether the
// hours parse and whether the service would be open at the chosen time. The words come
// from the server's template; this only fetches and shows them.
(function () {
  "use strict";
  var hours = document.getElementById("hours");
  var at = document.getElementById("preview-at");
  var out = document.getElementById("hours-preview");
  if (!hours || !at || !out) return;
  var timer = null;
  var asked = 0;
  function check() {
    var mine = ++asked;
    var url = hours.dataset.check + "?hours=" + encodeURIComponent(hours.value) +
      "&at=" + encodeURIComponent(at.value);
    fetch(url, { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        if (html !== null && mine === asked) {
          out.innerHTML = html;
          hours.setAttribute("aria-invalid", out.querySelector(".problem-text") ? "true" : "false");
        }
      })
      .catch(function () { /* the form still checks everything when saved */ });
  }
  function later() { clearTimeout(timer); timer = setTimeout(check, 250); }
  hours.addEventListener("input", later);
  at.addEventListener("input", later);
})();

/* The project's behaviour on every page, kept out of the templates (Content-Security-Policy:
   script-src 'self'): a select that submits its form when changed (the language switch), and the
   progress of an import, an export or a campaign's items being made while it runs. Turbo swaps pages without reloading this file, so
   listeners are delegated and page work starts on "turbo:load". */
(function () {
  "use strict";

  // The top bar's search on a phone is its icon alone (qlcb.css): a tap on the icon opens the box
  // (the focus in the form widens it over the bar) instead of sending the search; so does a click
  // with the box empty, at any width (an empty search finds nothing). The press does not focus
  // the icon, or the focus in the form would open the box before the click and the click send it.
  function topSearch(event) {
    var button = event.target.closest && event.target.closest("form.qlcb-topsearch button");
    var box = button && button.form.querySelector("input[name=q]");
    return box ? {box: box, closed: box.offsetWidth < 40} : null;
  }

  document.addEventListener("mousedown", function (event) {
    var search = topSearch(event);
    if (search && search.closed) event.preventDefault();
  });

  document.addEventListener("click", function (event) {
    var search = topSearch(event);
    if (search && (search.closed || !search.box.value.trim())) {
      event.preventDefault();
      search.box.focus();
    }
  });

  document.addEventListener("change", function (event) {
    var select = event.target;
    if (select.matches && select.matches("select[data-autosubmit]") && select.form) {
      select.form.submit();
    }
  });

  function pollProgress(box) {
    if (!document.body.contains(box)) return;  // the page was left
    fetch(box.dataset.url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) { return response.json(); })
      .then(function (data) {
        if (data.status !== box.dataset.status || !data.running) { window.location.reload(); return; }
        box.querySelector("progress").value = data.percent;
        box.querySelector("[data-rows-done]").textContent = data.rows_done;
        box.querySelector("[data-rows-total]").textContent = data.rows_total || "?";
        box.querySelector("[data-percent]").textContent = data.percent;
        setTimeout(function () { pollProgress(box); }, 2000);
      })
      .catch(function () { setTimeout(function () { pollProgress(box); }, 5000); });
  }

  // Turbo 7 swaps the body and keeps <html>: after a visit (a login, a form) the page's language
  // would stay the previous page's. The language switch says which it is; <html lang> follows,
  // so screen readers read the page in its language (found by the browser suite).
  function syncLanguage() {
    var form = document.querySelector("form.qlcb-lang[data-lang]");
    if (form && document.documentElement.lang !== form.dataset.lang) {
      document.documentElement.lang = form.dataset.lang;
    }
  }

  function start() {
    syncLanguage();
    document.querySelectorAll("[data-import-progress], [data-export-progress], [data-campaign-progress]").forEach(function (box) {
      if (box.dataset.polling) return;
      box.dataset.polling = "1";
      setTimeout(function () { pollProgress(box); }, 2000);
    });
  }

  document.addEventListener("turbo:load", start);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

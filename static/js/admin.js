// Galtea Admin: small progressive enhancements. Every page works without this file.
(function () {
  "use strict";

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "absolute";
    area.style.left = "-9999px";
    document.body.appendChild(area);
    area.select();
    var ok = document.execCommand("copy");
    document.body.removeChild(area);
    return ok ? Promise.resolve() : Promise.reject(new Error("copy failed"));
  }

  // <button data-copy-url>: copies the page's full URL and says so.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy-url]");
    if (!button) return;
    event.preventDefault();
    var status = document.getElementById(button.getAttribute("aria-describedby") || "");
    copyText(window.location.href).then(
      function () { if (status) status.textContent = "Link copied"; },
      function () { if (status) status.textContent = "Copy failed: copy the address bar instead"; }
    );
    if (status) setTimeout(function () { status.textContent = ""; }, 4000);
  });

  // The theme buttons of the top bar: the choice applies at once and is kept in the
  // background; should that fail, the form is sent as without this file.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var button = event.submitter;
    if (!form.hasAttribute("data-theme-form") || !button || !button.value) return;
    event.preventDefault();
    var root = document.documentElement;
    if (button.value === "system") root.removeAttribute("data-theme");
    else root.setAttribute("data-theme", button.value);
    form.querySelectorAll("button[name=theme]").forEach(function (choice) {
      choice.setAttribute("aria-pressed", String(choice === button));
    });
    form.elements.next.value = window.location.pathname + window.location.search;
    fetch(form.action, {
      method: "POST", body: new FormData(form, button), credentials: "same-origin",
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      if (!response.ok) throw new Error("not kept");
    }).catch(function () {
      var chosen = document.createElement("input");
      chosen.type = "hidden";
      chosen.name = "theme";
      chosen.value = button.value;
      form.appendChild(chosen);
      form.submit();
    });
  });

  // <form data-submit-once>: a second click while the first submit is on its way does nothing.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute("data-submit-once")) return;
    if (form.dataset.submitting === "true") {
      event.preventDefault();
      return;
    }
    form.dataset.submitting = "true";
    setTimeout(function () { form.dataset.submitting = "false"; }, 10000);
  });

  // Row selection: the header box ticks every row of the page; the bar counts them, and
  // its buttons (data-needs-selection) wait for a ticked row. Once the whole page is ticked,
  // the bar offers every row matching the list's filters (data-select-matching). Without
  // this file they stay usable: the server refuses an empty selection, and the "all
  // matching" box is always there.
  function updateSelectionCount(name) {
    var boxes = document.querySelectorAll('input[type="checkbox"][name="' + name + '"]');
    var ticked = Array.prototype.filter.call(boxes, function (box) { return box.checked; }).length;
    var count = document.querySelector("[data-selection-count]");
    var matching = document.querySelector("[data-select-matching]");
    var everyMatch = matching && matching.querySelector('input[name="all_matching"]');
    if (matching) {
      matching.hidden = !(ticked > 0 && ticked === boxes.length);
      if (matching.hidden) everyMatch.checked = false;
    }
    if (count) {
      count.textContent = ticked ? ticked + " selected" : "Tick rows to act on several at once.";
      if (everyMatch && everyMatch.checked) count.textContent = everyMatch.dataset.selectedText;
    }
    var all = document.querySelector('[data-select-all="' + name + '"]');
    if (all) {
      all.checked = ticked > 0 && ticked === boxes.length;
      all.indeterminate = ticked > 0 && ticked < boxes.length;
    }
    document.querySelectorAll('[data-needs-selection="' + name + '"]').forEach(
      function (button) { button.disabled = ticked === 0; }
    );
  }
  document.addEventListener("change", function (event) {
    var target = event.target;
    var group = target.getAttribute("data-select-all");
    if (group) {
      document.querySelectorAll('input[type="checkbox"][name="' + group + '"]').forEach(
        function (box) { box.checked = target.checked; }
      );
      updateSelectionCount(group);
    } else if (target.type === "checkbox" && (target.name === "ids" || target.name === "all_matching")) {
      updateSelectionCount("ids");
    }
  });

  // "/" jumps to the list's quick search, unless one is typing somewhere already.
  var quickSearch = document.querySelector('.search input[name="q"]');
  if (quickSearch) {
    quickSearch.setAttribute("aria-keyshortcuts", "/");
    document.addEventListener("keydown", function (event) {
      if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
      var target = event.target;
      if (target.closest("input, textarea, select, [contenteditable]")) return;
      event.preventDefault();
      quickSearch.focus();
      quickSearch.select();
    });
  }

  // The side's disclosures (details.side-panel: the saved views, the filters, the columns).
  // Those marked data-open-wide (the saved views, the filters) are open beside the rows on a
  // wide screen and closed above them on a narrow one; the stylesheet shows them on a wide
  // screen until this runs. "Skip to filters" opens the filters. A live list redraws the saved
  // views and the columns: each stays as the person left it (keptOpen follows every toggle).
  var narrow = window.matchMedia("(max-width: 1180px)");
  var keptOpen = {};
  function manageDisclosures() {
    document.querySelectorAll("details.side-panel:not(.is-managed)").forEach(function (panel) {
      var id = panel.closest("[id]").id;
      var wide = panel.hasAttribute("data-open-wide") && !narrow.matches;
      if (id in keptOpen ? keptOpen[id] : wide) panel.open = true;
      panel.classList.add("is-managed");
      panel.addEventListener("toggle", function () { keptOpen[id] = panel.open; });
    });
  }
  manageDisclosures();
  narrow.addEventListener("change", function () {
    document.querySelectorAll("details[data-open-wide]").forEach(function (panel) {
      panel.open = !narrow.matches;
    });
  });
  document.addEventListener("click", function (event) {
    var filters = document.querySelector("#filters details[data-open-wide]");
    if (filters && event.target.closest('a[href="#filters"]')) filters.open = true;
  });

  // Boxes a page starts with ticked (the browser restores them on going back) count too.
  function updatePageSelection() {
    if (document.querySelector("[data-needs-selection]")) updateSelectionCount("ids");
  }
  updatePageSelection();
  window.addEventListener("pageshow", updatePageSelection);

  // The phone number field says what the number will be saved as, while typing.
  var preview = document.getElementById("number-preview");
  var numberInput = document.getElementById("id_phone_number");
  if (preview && numberInput) {
    var timer = null;
    var check = function () {
      var typed = numberInput.value.trim();
      if (!typed) { preview.textContent = ""; return; }
      var url = preview.getAttribute("data-check-url") + "?number=" + encodeURIComponent(typed);
      fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (result) {
          if (!result || numberInput.value.trim() !== typed) return;
          preview.classList.toggle("is-invalid", !result.valid);
          if (!result.valid) { preview.textContent = result.message; return; }
          preview.textContent = result.e164 === typed
            ? "✓ " + result.formatted + (result.country ? " · " + result.country : "")
            : "Saved as " + result.e164 + " (" + result.formatted + (result.country ? ", " + result.country : "") + ")";
        })
        .catch(function () { /* the server checks again on save */ });
    };
    numberInput.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(check, 300);
    });
  }

  // A call's recording: its short-lived link is asked for only when Play is pressed.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-play]");
    if (!button) return;
    var player = button.closest("[data-recording]");
    var audio = player.querySelector("audio");
    var status = player.querySelector("[role=status]");
    button.disabled = true;
    status.textContent = "Loading…";
    fetch(player.getAttribute("data-recording"), {
      credentials: "same-origin", headers: { "Accept": "application/json" }
    })
      .then(function (response) { return response.json(); })
      .then(function (answer) {
        if (!answer.url) throw new Error(answer.error || "The recording could not be loaded.");
        audio.src = answer.url;
        audio.hidden = false;
        button.hidden = true;
        status.textContent = "";
        return audio.play().catch(function () { /* the controls still play it */ });
      })
      .catch(function (problem) {
        button.disabled = false;
        status.textContent = problem.message && problem.message.indexOf("JSON") === -1
          ? problem.message : "The recording could not be loaded.";
      });
  });
  document.addEventListener("error", function (event) {
    if (event.target.tagName !== "AUDIO") return;
    var player = event.target.closest("[data-recording]");
    if (!player) return;
    player.querySelector("[role=status]").textContent = "The recording could not be played: its link may have expired. Reload the page to try again.";
  }, true);
  // A form sent back: focus goes to its first field in error, else to what went wrong (a
  // conflict, a refusal by Galtea), so that a keyboard or screen reader starts there.
  var sentBack = document.querySelector(".form-card");
  if (sentBack) {
    var problem = sentBack.querySelector(
      ".field-invalid input:not([type=hidden]), .field-invalid select, .field-invalid textarea"
    ) || sentBack.querySelector(".alert[role=alert]");
    if (problem) {
      if (!problem.matches("input, select, textarea")) problem.setAttribute("tabindex", "-1");
      problem.focus();
    }
  }

  // A live list (htmx swaps #list-region, and the column chooser with it): say what it
  // shows now, keep the focus where the person was (the same link or button, found again by
  // its text or value in the same part of the page), keep the side's disclosures as they
  // were, and show a failed answer as the page it is.
  var focused = null;
  var LIVE_PARTS = ["list-region", "column-choices"];
  function label(el) {
    return (el.value || "") + "|" + el.textContent.replace(/[▲▼↕]/g, "").trim();
  }
  document.addEventListener("htmx:beforeRequest", function () {
    var active = document.activeElement;
    var part = active && active.closest("#" + LIVE_PARTS.join(", #"));
    focused = part && active.matches("a, button") ? { part: part.id, label: label(active) } : null;
  });
  document.addEventListener("htmx:afterSettle", function () {
    var region = document.getElementById("list-region");
    var announcement = document.getElementById("list-announcement");
    if (!region) return;
    if (announcement) announcement.textContent = region.getAttribute("data-announce");
    updatePageSelection();
    manageDisclosures();
    if (focused === null) return;
    var part = document.getElementById(focused.part) || region;
    var again = Array.prototype.find.call(part.querySelectorAll("a, button"), function (el) {
      return label(el) === focused.label && !el.disabled;
    });
    (again || region).focus();
    focused = null;
  });
  // An answer that came from another page (signed out meanwhile: the sign-in page) is
  // shown as that page, not inside the list.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var answered = event.detail.xhr && event.detail.xhr.responseURL;
    if (answered && new URL(answered).pathname !== window.location.pathname) {
      event.detail.shouldSwap = false;
      window.location.href = answered;
    }
  });
  document.addEventListener("htmx:responseError", function (event) {
    var answered = event.detail.xhr && event.detail.xhr.responseURL;
    if (answered) window.location.href = answered;
  });
  document.addEventListener("htmx:sendError", function (event) {
    var path = event.detail.pathInfo && event.detail.pathInfo.finalRequestPath;
    if (path) window.location.href = path;
  });
})();

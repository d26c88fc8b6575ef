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
})();

// Progressive enhancement for Annex's pages. Every page works without this
// script; it only saves a click.
"use strict";

document.addEventListener("DOMContentLoaded", function () {
  // A select marked data-autosubmit submits its form when it changes, so the
  // classify form shows the parameters of the chosen kind at once. The
  // form's own button is then redundant and hidden.
  document.querySelectorAll("select[data-autosubmit]").forEach(function (sel) {
    var form = sel.form;
    if (!form) {
      return;
    }
    form.querySelectorAll("button[type=submit]").forEach(function (b) {
      b.hidden = true;
    });
    sel.addEventListener("change", function () {
      form.submit();
    });
  });
});

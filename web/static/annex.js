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

  // The application form's "Add a party" and "Add a goods line" buttons
  // add an empty row to their table here, instead of posting the form for
  // one more row. Input names and ids carry the row's index
  // ("parties[2].name", "parties-2-name"), which the copy takes on.
  document.querySelectorAll("button[data-add-row]").forEach(function (add) {
    var table = document.getElementById(add.dataset.addRow);
    var prefix = add.dataset.prefix;
    if (!table || !prefix) {
      return;
    }
    add.type = "button";
    add.addEventListener("click", function () {
      var rows = table.querySelectorAll("tbody tr");
      var last = rows[rows.length - 1];
      var n = rows.length;
      var row = last.cloneNode(true);
      row.dataset.row = String(n);
      row.querySelectorAll(".field-error").forEach(function (p) {
        p.remove();
      });
      row.querySelectorAll(".invalid").forEach(function (td) {
        td.classList.remove("invalid");
      });
      row.querySelectorAll("input, select, textarea").forEach(function (el) {
        el.name = el.name.replace(/^\w+\[\d+\]/, prefix + "[" + n + "]");
        el.id = el.id.replace(/^\w+-\d+-/, prefix + "-" + n + "-");
        if (el.tagName === "SELECT") {
          el.selectedIndex = 0;
        } else {
          el.value = "";
        }
        el.removeAttribute("aria-invalid");
        el.removeAttribute("aria-describedby");
      });
      last.parentNode.appendChild(row);
      if (n + 1 >= Number(add.dataset.max)) {
        add.hidden = true;
      }
      row.querySelector("input, select, textarea").focus();
    });
  });

  // The capability form's "Add a stage" button adds an empty row to the
  // stage table here, instead of posting the form for one more row. As a
  // plain button it no longer catches the Enter key, which then submits
  // the analysis.
  var add = document.querySelector("button[data-add-stage]");
  if (add) {
    add.type = "button";
    add.addEventListener("click", function () {
      var rows = document.querySelectorAll("#stage-table tr.stage-row");
      var last = rows[rows.length - 1];
      var n = rows.length;
      var row = last.cloneNode(true);
      row.className = "stage-row";
      row.dataset.stage = String(n);
      row.querySelectorAll(".field-error").forEach(function (p) {
        p.remove();
      });
      var head = row.querySelector("th");
      head.id = "stage-" + n + "-head";
      head.textContent = "Stage " + (n + 1);
      row.querySelectorAll("td").forEach(function (td) {
        td.removeAttribute("class");
      });
      row.querySelectorAll("input").forEach(function (input) {
        var field = input.name.replace(/^stages\[\d+\]\./, "");
        input.name = "stages[" + n + "]." + field;
        input.id = "stages-" + n + "-" + field;
        input.value = "";
        input.removeAttribute("aria-invalid");
        input.removeAttribute("aria-describedby");
        input.setAttribute("aria-labelledby", head.id + " col-" + field);
      });
      last.parentNode.appendChild(row);
      if (n + 1 >= Number(add.dataset.max)) {
        add.hidden = true;
      }
      row.querySelector("input").focus();
    });
  }
});

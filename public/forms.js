// Shows a form's errors without a reload. Every form works without this script: it posts
// to its page's address and the server renders the page again with the errors. With it,
// forms marked `data-enhance` post the same fields with `Accept: application/json`; the
// server answers {"redirect":{"location"}} or {"invalid":{"errors":[{field,label,message}]}}
// (app/src/accounts/form.rs), and the errors are put where the server would have put them.
(function () {
  "use strict";
  if (window.catalogueForms) return;
  window.catalogueForms = true;

  function show(form, errors) {
    form.querySelectorAll("[data-error-for]").forEach(function (slot) {
      slot.textContent = "";
      slot.hidden = true;
    });
    form.querySelectorAll("[aria-invalid]").forEach(function (input) {
      input.removeAttribute("aria-invalid");
    });
    var summary = form.querySelector("[data-error-summary]");
    var list = summary && summary.querySelector("ul");
    if (list) list.textContent = "";
    errors.forEach(function (error) {
      var slot = form.querySelector('[data-error-for="' + error.field + '"]');
      if (slot) {
        slot.textContent = error.message;
        slot.hidden = false;
      }
      var input = form.querySelector('[name="' + error.field + '"]');
      if (input) input.setAttribute("aria-invalid", "true");
      if (list) {
        var item = document.createElement("li");
        var link = document.createElement("a");
        link.href = "#field-" + error.field;
        link.textContent = (error.label ? error.label + ": " : "") + error.message;
        item.appendChild(link);
        list.appendChild(item);
      }
    });
    if (summary) {
      summary.hidden = errors.length === 0;
      summary.focus();
    }
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-enhance")) return;
    event.preventDefault();
    var button = event.submitter;
    if (button) button.disabled = true;
    fetch(form.action, {
      method: "POST",
      // A form with a file goes as multipart, as the browser would send it.
      body: form.enctype === "multipart/form-data" ? new FormData(form) : new URLSearchParams(new FormData(form)),
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    })
      .then(function (response) {
        return response.json().catch(function () { return null; });
      })
      .then(function (answer) {
        if (answer && answer.redirect) {
          window.location.assign(answer.redirect.location);
        } else if (answer && answer.invalid) {
          show(form, answer.invalid.errors);
        } else {
          form.submit(); // anything else: the server's own page says what happened
        }
      })
      .catch(function () { form.submit(); })
      .finally(function () { if (button) button.disabled = false; });
  });
})();

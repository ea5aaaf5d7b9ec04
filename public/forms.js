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

  // Posts the form the plain way, through the button that was pressed.
  function resubmit(form, button) {
    form.removeAttribute("data-enhance");
    if (button) {
      button.disabled = false;
      form.requestSubmit(button);
    } else {
      form.submit();
    }
  }

  // Drafts save themselves a few seconds after the last change (forms marked
  // `data-autosave`, whose action saves without checking completeness); the status line
  // `[data-autosave-status]` says when. Errors wait for an explicit save.
  var timers = new WeakMap();
  document.addEventListener("input", function (event) {
    var form = event.target && event.target.form;
    if (!form || !form.hasAttribute("data-autosave")) return;
    clearTimeout(timers.get(form));
    timers.set(form, setTimeout(function () {
      fetch(form.action, {
        method: "POST",
        body: new URLSearchParams(new FormData(form)),
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      }).then(function (response) {
        var status = form.querySelector("[data-autosave-status]");
        if (!status) return;
        if (response.ok) {
          var now = new Date();
          status.textContent = status.getAttribute("data-saved-text") + " " +
            String(now.getHours()).padStart(2, "0") + ":" + String(now.getMinutes()).padStart(2, "0");
        } else {
          // Something typed is not well-formed: nothing was saved, and the person is told.
          status.textContent = status.getAttribute("data-failed-text");
        }
      }).catch(function () {});
    }, 3000));
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-enhance")) return;
    event.preventDefault();
    var button = event.submitter;
    // A button may post elsewhere than its form (`formaction`: a draft's Submit beside
    // its Save).
    var action = button && button.hasAttribute("formaction") ? button.formAction : form.action;
    var data = new FormData(form);
    if (button && button.name) data.append(button.name, button.value);
    if (button) button.disabled = true;
    fetch(action, {
      method: "POST",
      // A form with a file goes as multipart, as the browser would send it.
      body: form.enctype === "multipart/form-data" ? data : new URLSearchParams(data),
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
          resubmit(form, button); // anything else: the server's own page says what happened
        }
      })
      .catch(function () { resubmit(form, button); })
      .finally(function () { if (button) button.disabled = false; });
  });
})();

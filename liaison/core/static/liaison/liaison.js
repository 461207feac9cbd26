/* Behaviour every page shares, kept out of the markup so that a
   Content-Security-Policy of script-src 'self' holds (no inline handlers).

   A <select data-autosubmit> sends its form as soon as it changes (the role of
   a member, the organization switcher); a <noscript> button beside it does the
   same without JavaScript. */
document.addEventListener("change", function (event) {
  var field = event.target;
  if (field.matches && field.matches("select[data-autosubmit]") && field.form) {
    field.form.requestSubmit ? field.form.requestSubmit() : field.form.submit();
  }
});

/* A glossary term's definition (core/glossing.py) shows while the term has the
   focus; Escape puts it away, as a tooltip should. */
document.addEventListener("keydown", function (event) {
  var term = document.activeElement;
  if (event.key === "Escape" && term && term.classList && term.classList.contains("term")) {
    term.blur();
  }
});

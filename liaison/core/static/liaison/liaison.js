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

/* On a phone (the stylesheet's 800px break) the sidebar folds away behind the
   top bar's Menu button, so a page starts with its own content. Without this
   script the button is a link to the sidebar, which the stylesheet then shows
   after the page's content. */
(function () {
  var toggle = document.querySelector("[data-nav-toggle]");
  var nav = document.getElementById("sidebar");
  if (!toggle || !nav) { return; }
  var root = document.documentElement;
  root.classList.add("nav-folds");
  toggle.setAttribute("role", "button");
  toggle.setAttribute("aria-expanded", "false");

  function setOpen(open) {
    root.classList.toggle("nav-open", open);
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
    if (open) {
      var first = nav.querySelector("a[href]");
      if (first) { first.focus(); }
    }
  }
  function isOpen() { return root.classList.contains("nav-open"); }

  toggle.addEventListener("click", function (event) {
    event.preventDefault();
    setOpen(!isOpen());
  });
  /* role=button promises Space as well as Enter. */
  toggle.addEventListener("keydown", function (event) {
    if (event.key === " ") { event.preventDefault(); setOpen(!isOpen()); }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && isOpen()) {
      setOpen(false);
      toggle.focus();
    }
  });
  /* A tap outside the open menu closes it, as a menu does. */
  document.addEventListener("click", function (event) {
    if (isOpen() && !nav.contains(event.target) && !toggle.contains(event.target)) {
      setOpen(false);
    }
  });
})();

/* The portal's tabs scroll sideways on a phone: bring the current one into view. */
(function () {
  var current = document.querySelector(".portal-nav a[aria-current='page']");
  if (current && current.parentNode.scrollWidth > current.parentNode.clientWidth) {
    current.parentNode.scrollLeft = current.offsetLeft - current.parentNode.offsetLeft - 16;
  }
})();

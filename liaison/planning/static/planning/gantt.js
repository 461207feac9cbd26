/* The Gantt page (planning/gantt.html). The chart is one server-drawn SVG; this
   script only moves what is already there:
   - opens it scrolled to today (or the filter's first day), keeps the viewed date
     in place when the chart is redrawn (another scale, a filter, a save), and keeps
     the dates and the task column in view (sticky: one transform each per scroll);
   - shows the panel over the chart when a bar is chosen, hides it on Close/Escape;
   - for those who edit (#gantt-scroll[data-gantt-gesture]): drag a bar to move it,
     drag its right end to change its due date, or, on a focused bar, arrow keys
     (by a day; with Shift, its due date) and Enter. Either way the server answers
     what else moves (GET …/move/) in the panel, and saves only when confirmed;
     drag a bar up or down onto another (or press L on one, then L on the other) to
     link them: the panel asks the type of the link (GET …/link/?successor=…).
   Loaded with defer; HTMX is looked up when needed. Without script the bars are
   links to the panel's form. */
(function () {
  "use strict";
  var DAY = 86400000;
  var viewed = null; // {day, top}: what was in view before the chart was redrawn
  var gesture = null; // the bar being moved: {link, key, start, due, shift, stretch}
  var dragging = null; // a pointer drag in progress
  var swallowClick = false; // the click that ends a drag is not a choice of the bar
  var linkFrom = null; // the bar L was pressed on, waiting for the bar it holds up
  var ROW_HALF = 12; // half a row of the chart: a drag further up or down is a link

  function scroller() { return document.getElementById("gantt-scroll"); }
  function chart(box) { return box ? box.querySelector("svg.gantt") : null; }
  function panel() { return document.getElementById("gantt-panel"); }
  function parse(iso) { var p = iso.split("-"); return Date.UTC(+p[0], +p[1] - 1, +p[2]); }
  function iso(ms) { return new Date(ms).toISOString().slice(0, 10); }
  function addDays(isoDay, days) { return iso(parse(isoDay) + days * DAY); }
  function axis(svg) {
    return { first: parse(svg.dataset.first), ppd: +svg.dataset.ppd, x0: +svg.dataset.x0 };
  }

  /* -- where the chart is scrolled ------------------------------------------------ */

  function dayInView(box) {
    var svg = chart(box);
    if (!svg) return null;
    var a = axis(svg);
    var middle = box.scrollLeft + (box.clientWidth - a.x0) / 2;
    return { day: a.first + Math.round(middle / a.ppd) * DAY, top: box.scrollTop };
  }

  function showDay(box, day, top) {
    var svg = chart(box);
    if (!svg) return;
    var a = axis(svg);
    var x = ((day - a.first) / DAY) * a.ppd;
    box.scrollLeft = Math.max(0, x - (box.clientWidth - a.x0) / 2);
    if (top) box.scrollTop = top;
  }

  function opened(box) {
    if (!box || box.dataset.ganttReady) return;
    box.dataset.ganttReady = "1";
    var svg = chart(box);
    if (viewed) showDay(box, viewed.day, viewed.top);
    else if (svg && box.dataset.ganttStart === "today") {
      // Today a third of the way in: a little of what came before, most of what is next.
      var a = axis(svg);
      var x = ((parse(svg.dataset.today) - a.first) / DAY) * a.ppd;
      box.scrollLeft = Math.max(0, x - (box.clientWidth - a.x0) / 3);
    }
    viewed = null;
    pin(box);
  }

  /* The header and the label column are groups of the SVG: moved by the scroll. */
  function pin(box) {
    var svg = chart(box);
    if (!svg) return;
    var left = box.scrollLeft, top = box.scrollTop;
    var parts = [[".g-top", 0, top], [".g-left", left, 0], [".g-corner", left, top]];
    parts.forEach(function (part) {
      var group = svg.querySelector(part[0]);
      if (group) group.setAttribute("transform", "translate(" + part[1] + "," + part[2] + ")");
    });
  }

  document.addEventListener("scroll", function (event) {
    if (event.target && event.target.id === "gantt-scroll") pin(event.target);
  }, true);

  document.addEventListener("htmx:beforeRequest", function (event) {
    var target = event.detail && event.detail.target;
    if (target && target.id === "gantt-chart") viewed = dayInView(scroller());
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail && event.detail.target;
    if (target && target.id === "gantt-panel") showPanel(target);
    if (target && target.id === "gantt-chart") gesture = null; // its bars are new
    opened(scroller());
  });

  /* -- the panel ----------------------------------------------------------------- */

  function showPanel(box) {
    box.hidden = false;
    var refused = box.querySelector(".schedule-preview__refused");
    var note = document.querySelector("[data-gantt-refusal]");
    if (refused) {
      undo(); // the bar goes back where it was
      if (note) { note.textContent = refused.textContent.trim(); note.hidden = false; }
    } else if (note) note.hidden = true;
    var confirm = box.querySelector("[data-gantt-confirm]");
    if (confirm) confirm.focus();
  }

  function closePanel() {
    var box = panel();
    if (!box) return;
    var back = gesture && gesture.link;
    undo();
    box.hidden = true;
    box.innerHTML = "";
    if (back) back.focus();
  }

  document.addEventListener("click", function (event) {
    if (swallowClick && event.target.closest && event.target.closest("#gantt-scroll")) {
      swallowClick = false;
      event.preventDefault();
      event.stopPropagation();
      return;
    }
    var close = event.target.closest && event.target.closest("[data-gantt-close]");
    if (close && panel() && panel().contains(close)) {
      event.preventDefault();
      closePanel();
    }
  }, true);

  /* -- a gesture on a bar --------------------------------------------------------- */

  function editable(target) {
    var box = scroller();
    if (!box || !box.dataset.ganttGesture || !target.closest) return null;
    var link = target.closest("a[data-start]");
    return link && box.contains(link) ? link : null;
  }

  function begin(link) {
    if (gesture && gesture.link === link) return gesture;
    undo();
    gesture = {
      link: link,
      key: link.dataset.key,
      start: link.dataset.start,
      due: link.dataset.due,
      shift: 0,
      stretch: 0,
      bar: link.querySelector(".g-bar"),
    };
    gesture.width = gesture.bar ? +gesture.bar.getAttribute("width") : 0;
    return gesture;
  }

  /* Draw the bar where the gesture puts it (whole days), before anything is saved. */
  function draw() {
    var ppd = axis(chart(scroller())).ppd;
    var g = gesture;
    g.link.setAttribute("transform", "translate(" + g.shift * ppd + ",0)");
    if (g.bar) g.bar.setAttribute("width", Math.max(ppd, g.width + g.stretch * ppd));
    g.link.classList.toggle("is-pending", g.shift !== 0 || g.stretch !== 0);
  }

  function undo() {
    if (!gesture) return;
    gesture.link.removeAttribute("transform");
    gesture.link.classList.remove("is-pending");
    if (gesture.bar) gesture.bar.setAttribute("width", gesture.width);
    gesture = null;
  }

  /* Ask the server what the new dates would move; the answer opens the panel. */
  function preview() {
    var g = gesture;
    if (!g || (g.shift === 0 && g.stretch === 0) || !window.htmx) return false;
    var start = addDays(g.start, g.shift);
    var due = addDays(g.due, g.shift + g.stretch);
    if (due < start) due = start;
    var url = scroller().dataset.ganttGesture + encodeURIComponent(g.key) + "/move/";
    htmx.ajax("GET", url + "?start_date=" + start + "&due_date=" + due, {
      target: "#gantt-panel", swap: "innerHTML"
    });
    return true;
  }

  document.addEventListener("pointerdown", function (event) {
    var link = event.button === 0 && editable(event.target);
    if (!link) return;
    var g = begin(link);
    var right = g.bar ? g.bar.getBoundingClientRect().right : 0;
    dragging = {
      x: event.clientX,
      y: event.clientY,
      shift: g.shift,
      stretch: g.stretch,
      // the last few pixels of a bar wide enough to have an end: change the due date
      end: g.bar && g.width >= 12 && right - event.clientX <= 6,
      moved: false,
    };
    event.preventDefault(); // no text selection, no native drag of the link
    link.focus();
  });

  document.addEventListener("pointermove", function (event) {
    if (!dragging || !gesture) return;
    var dx = event.clientX - dragging.x;
    var dy = event.clientY - dragging.y;
    if (!dragging.moved && Math.abs(dx) < 4 && Math.abs(dy) < 4) return;
    dragging.moved = true;
    dragging.at = [event.clientX, event.clientY];
    scroller().classList.add("is-dragging");
    if (Math.abs(dy) >= ROW_HALF) { // off its row: a link to the bar it is dropped on
      dragging.linking = true;
      gesture.shift = dragging.shift;
      gesture.stretch = dragging.stretch;
      draw();
      return;
    }
    dragging.linking = false;
    var days = Math.round(dx / axis(chart(scroller())).ppd);
    if (dragging.end) gesture.stretch = dragging.stretch + days;
    else gesture.shift = dragging.shift + days;
    draw();
  });

  document.addEventListener("pointerup", function () {
    if (!dragging) return;
    var moved = dragging.moved;
    var linking = dragging.linking && dragging.at;
    var at = dragging.at;
    dragging = null;
    var box = scroller();
    if (box) box.classList.remove("is-dragging");
    if (moved) {
      swallowClick = true; // the click that follows is the end of the drag
      setTimeout(function () { swallowClick = false; }, 0);
      if (linking) {
        var under = document.elementFromPoint(at[0], at[1]);
        var target = under && under.closest ? under.closest("a[data-key]") : null;
        if (target && gesture && target !== gesture.link) askLink(gesture.link, target);
      } else preview();
    }
  });

  /* Ask for the form that makes `from` hold up `to` (its type chosen in the panel). */
  function askLink(from, to) {
    if (!window.htmx) return;
    var url = scroller().dataset.ganttGesture + encodeURIComponent(from.dataset.key) + "/link/";
    htmx.ajax("GET", url + "?successor=" + encodeURIComponent(to.dataset.key), {
      target: "#gantt-panel", swap: "innerHTML"
    });
  }

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && panel() && !panel().hidden) {
      closePanel();
      return;
    }
    var link = editable(event.target);
    if (!link) return;
    var step = { ArrowLeft: -1, ArrowRight: 1 }[event.key];
    if (step) {
      var g = begin(link);
      if (event.shiftKey) g.stretch = Math.max(g.stretch + step, -daysLong(g));
      else g.shift += step;
      draw();
      event.preventDefault();
    } else if (event.key === "Enter" && preview()) {
      event.preventDefault(); // the new dates' preview, not the panel of the old ones
    } else if (event.key === "l" || event.key === "L") {
      // L on a bar, then L on another: the first holds up the second.
      if (linkFrom && linkFrom !== link && document.contains(linkFrom)) {
        askLink(linkFrom, link);
        linkFrom.classList.remove("is-linking");
        linkFrom = null;
      } else {
        if (linkFrom) linkFrom.classList.remove("is-linking");
        linkFrom = link;
        link.classList.add("is-linking");
      }
    } else if (event.key === "Escape") {
      undo();
      if (linkFrom) linkFrom.classList.remove("is-linking");
      linkFrom = null;
    }
  });

  /* How many days past its first the bar's due date may come back (to a one-day bar). */
  function daysLong(g) { return (parse(g.due) - parse(g.start)) / DAY; }

  opened(scroller());
})();

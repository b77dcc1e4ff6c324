// Accessible names for the two controls ipywidgets 8 draws without one.
//
// ipywidgets offers no ARIA attribute from Python (jupyter-widgets/ipywidgets#2650), and
// axe-core finds, on every page with an explorer (measured: the app view had 29 slider
// handles and 9 Play buttons without a name):
//
// * a slider's handle (noUiSlider's `.noUi-handle`, role "slider") has no name: it gets
//   the text of its widget's label (the slider's `description`, "learning rate α");
// * the Play widget's buttons hold only an icon: they get the icon's meaning ("play",
//   "pause", "stop", "repeat"), kept up to date when play turns into pause.
//
// Loaded by the pages the course writes itself (the static site, the slides, the app
// view's template); JupyterLab draws its own pages, where these two stay unnamed.
(function () {
  "use strict";
  var ICONS = {"fa-play": "play", "fa-pause": "pause", "fa-stop": "stop",
               "fa-retweet": "repeat"};

  function nameControls() {
    document.querySelectorAll(".widget-slider .noUi-handle").forEach(function (handle) {
      var widget = handle.closest(".widget-slider");
      var label = widget && widget.querySelector(".widget-label");
      var text = label ? label.textContent.trim() : "";
      if (text && handle.getAttribute("aria-label") !== text) {
        handle.setAttribute("aria-label", text);
      }
    });
    document.querySelectorAll(".widget-play button").forEach(function (button) {
      var icon = button.querySelector("i");
      var text = "";
      if (icon) {
        icon.classList.forEach(function (c) { if (ICONS[c]) { text = ICONS[c]; } });
      }
      if (text && button.getAttribute("aria-label") !== text) {
        button.setAttribute("aria-label", text);
      }
    });
  }

  // Widgets are drawn after the page loads (and again when a slide is shown): name them
  // whenever the page changes, at most once per frame.
  var pending = false;
  function soon() {
    if (!pending) {
      pending = true;
      window.requestAnimationFrame(function () { pending = false; nameControls(); });
    }
  }
  new MutationObserver(soon).observe(document.documentElement, {
    childList: true, subtree: true, attributes: true, attributeFilter: ["class"]});
  soon();
})();

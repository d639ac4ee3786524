// Keyboard: Ctrl/Cmd+Enter submits the form the focus is in.
document.addEventListener("keydown", function (event) {
  if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
    var form = event.target.closest && event.target.closest("form");
    if (form) { event.preventDefault(); form.requestSubmit ? form.requestSubmit() : form.submit(); }
  }
});

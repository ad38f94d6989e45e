// Progressive enhancement only: the pages work without this file.
document.documentElement.classList.add("js");

// Forms marked data-autosubmit (the workspace switcher) submit when their select changes.
document.addEventListener("change", (event) => {
  const form = event.target.closest("form[data-autosubmit]");
  if (form) form.requestSubmit();
});

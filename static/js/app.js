// Progressive enhancement only: the pages work without this file.
document.documentElement.classList.add("js");

// Forms marked data-autosubmit (the workspace and language switchers) submit when their
// select changes.
document.addEventListener("change", (event) => {
  const form = event.target.closest("form[data-autosubmit]");
  if (form) form.requestSubmit();
});

// Phones: the header's menu button folds the navigation and account row away (CSS shows the
// button only on narrow screens; without this file everything stays visible).
const navToggle = document.querySelector(".nav-toggle");
const siteMenu = document.getElementById("site-menu");
if (navToggle && siteMenu) {
  navToggle.hidden = false;
  navToggle.addEventListener("click", () => {
    const open = navToggle.getAttribute("aria-expanded") !== "true";
    navToggle.setAttribute("aria-expanded", String(open));
    siteMenu.classList.toggle("site-menu--open", open);
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && siteMenu.classList.contains("site-menu--open")) {
      navToggle.setAttribute("aria-expanded", "false");
      siteMenu.classList.remove("site-menu--open");
      navToggle.focus();
    }
  });
}

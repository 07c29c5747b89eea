// Pamong's own script: small, no inline handlers (the CSP forbids them).
document.addEventListener("change", (event) => {
  const el = event.target;
  if (el instanceof HTMLElement && el.matches("[data-autosubmit]")) {
    el.form?.requestSubmit();
  }
});

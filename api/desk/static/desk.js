// 就业服务工作台: small progressive enhancements; every page works without them.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  // a form with data-confirm asks before it is sent (promote, roll back, record as applied)
  for (const form of document.querySelectorAll("form[data-confirm]")) {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  }
  // a button with data-print prints the page (the print view is A4)
  for (const button of document.querySelectorAll("[data-print]")) {
    button.addEventListener("click", () => window.print());
  }
  // an element with data-poll reloads the page every few seconds until it no longer has it
  const polled = document.querySelector("[data-poll]");
  if (polled) {
    const seconds = Number(polled.dataset.poll) || 2;
    window.setTimeout(() => window.location.reload(), seconds * 1000);
  }
});

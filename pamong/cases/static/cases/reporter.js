// The reporter's pages: copy the receipt code, and warn about files before a slow upload is wasted.
// Everything here is a convenience: without JavaScript the pages work the same.
(() => {
  const code = document.querySelector("[data-receipt-code]");
  const copy = document.querySelector("[data-copy-receipt]");
  const status = document.querySelector("[data-copy-status]");
  if (code && copy) {
    copy.hidden = false;
    const say = (ok) => {
      if (status) status.textContent = ok ? status.dataset.ok : status.dataset.fail;
    };
    copy.addEventListener("click", () => {
      const text = code.dataset.receiptCode;
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(() => say(true), () => say(false));
      } else {
        // Select the code so the phone's own "copy" is one tap away.
        const range = document.createRange();
        range.selectNodeContents(code);
        const selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
        say(false);
      }
    });
  }

  for (const input of document.querySelectorAll("input[type=file][data-max-files]")) {
    input.addEventListener("change", () => {
      const maxFiles = Number(input.dataset.maxFiles);
      const maxBytes = Number(input.dataset.maxBytes);
      let problem = "";
      if (input.files.length > maxFiles) {
        problem = input.dataset.tooMany;
      } else {
        for (const file of input.files) {
          if (file.size > maxBytes) {
            problem = `${file.name}: ${input.dataset.tooBig}`;
            break;
          }
        }
      }
      input.setCustomValidity(problem);
      let note = input.parentElement.querySelector("[data-file-problem]");
      if (!note) {
        note = document.createElement("small");
        note.className = "field-error";
        note.dataset.fileProblem = "";
        note.setAttribute("role", "alert");
        input.after(note);
      }
      note.textContent = problem;
      note.hidden = !problem;
    });
  }
})();

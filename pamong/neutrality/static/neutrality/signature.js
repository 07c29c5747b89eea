// The optional drawn signature on the signing page. No libraries; works with a finger, a pen or a mouse.
// Strokes are kept in a fixed 600 x 200 box (the canvas keeps a 3:1 shape) and written to the hidden
// input as an SVG path: "M x y L x y ... M x y L x y". Without JavaScript the pad stays hidden and the
// declaration is signed without a drawing.
(() => {
  "use strict";
  const BOX_W = 600;
  const BOX_H = 200;
  const MAX_LENGTH = 19000; // the server refuses drawings over 20 000 characters
  const MIN_STEP = 2; // box units between recorded points: enough for a smooth line, short paths

  function setUpPad(pad) {
    const canvas = pad.querySelector("canvas");
    const input = pad.querySelector("[data-signature-input]");
    const clear = pad.querySelector("[data-signature-clear]");
    if (!canvas || !input || !canvas.getContext) return;
    const ctx = canvas.getContext("2d");
    let strokes = [];
    let current = null;
    let path = "";

    function scale() {
      return canvas.width / BOX_W;
    }

    function redraw() {
      const s = scale();
      ctx.clearRect(0, 0, canvas.width, canvas.height);
      ctx.lineWidth = 2.5 * s;
      ctx.lineCap = "round";
      ctx.lineJoin = "round";
      ctx.strokeStyle = "#10243e";
      for (const stroke of strokes) {
        ctx.beginPath();
        stroke.forEach(([x, y], i) => (i ? ctx.lineTo(x * s, y * s) : ctx.moveTo(x * s, y * s)));
        if (stroke.length === 1) ctx.lineTo(stroke[0][0] * s + 0.1, stroke[0][1] * s);
        ctx.stroke();
      }
    }

    function resize() {
      const rect = canvas.getBoundingClientRect();
      if (!rect.width) return;
      const ratio = Math.min(window.devicePixelRatio || 1, 2);
      canvas.width = Math.round(rect.width * ratio);
      canvas.height = Math.round((rect.width * ratio * BOX_H) / BOX_W);
      redraw();
    }

    function point(event) {
      const rect = canvas.getBoundingClientRect();
      const x = ((event.clientX - rect.left) * BOX_W) / rect.width;
      const y = ((event.clientY - rect.top) * BOX_H) / rect.height;
      return [Math.round(Math.max(0, Math.min(BOX_W, x))), Math.round(Math.max(0, Math.min(BOX_H, y)))];
    }

    function write() {
      input.value = path;
      pad.classList.toggle("has-drawing", path !== "");
    }

    canvas.addEventListener("pointerdown", (event) => {
      if (path.length > MAX_LENGTH) return;
      event.preventDefault();
      canvas.setPointerCapture(event.pointerId);
      const p = point(event);
      current = [p];
      strokes.push(current);
      path += `${path ? " " : ""}M ${p[0]} ${p[1]}`;
      redraw();
      write();
    });

    canvas.addEventListener("pointermove", (event) => {
      if (!current) return;
      event.preventDefault();
      const p = point(event);
      const last = current[current.length - 1];
      if (Math.hypot(p[0] - last[0], p[1] - last[1]) < MIN_STEP || path.length > MAX_LENGTH) return;
      current.push(p);
      path += ` L ${p[0]} ${p[1]}`;
      const s = scale();
      ctx.beginPath();
      ctx.moveTo(last[0] * s, last[1] * s);
      ctx.lineTo(p[0] * s, p[1] * s);
      ctx.stroke();
    });

    const end = () => {
      if (!current) return;
      current = null;
      write();
    };
    canvas.addEventListener("pointerup", end);
    canvas.addEventListener("pointercancel", end);

    clear?.addEventListener("click", () => {
      strokes = [];
      current = null;
      path = "";
      write();
      redraw();
    });

    pad.hidden = false;
    input.value = "";
    resize();
    window.addEventListener("resize", resize);
  }

  function guardSubmit(form) {
    // A slow connection invites a second tap; signing is idempotent anyway, this only saves a request.
    form.addEventListener("submit", () => {
      const button = form.querySelector("button[type=submit]");
      if (button) {
        button.setAttribute("aria-busy", "true");
        window.setTimeout(() => (button.disabled = true), 0);
      }
    });
    window.addEventListener("pageshow", () => {
      const button = form.querySelector("button[type=submit]");
      if (button) {
        button.disabled = false;
        button.removeAttribute("aria-busy");
      }
    });
  }

  function init() {
    document.querySelectorAll("[data-signature-pad]").forEach(setUpPad);
    document.querySelectorAll("form[data-sign-form]").forEach(guardSubmit);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();

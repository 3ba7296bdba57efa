// Small pictures of numbers for the Model and Errors views: greyscale maps (0..255 from the server), kernels on
// a diverging scale, a test image's PNG, and the pad a digit is drawn on. None of this is a chart: the charts
// (softmax bars, confusion heatmap) are ECharts'.
import {el} from './util.js';

/**
 * A canvas showing `pixels` (h·w values 0..255, row-major) as grey, `scale` CSS pixels per pixel (the canvas
 * has the map's own size; CSS enlarges it without smoothing).
 */
export function greyCanvas(pixels, h, w, scale, attrs = {}) {
  const canvas = el('canvas', {width: w, height: h, ...attrs});
  const ctx = canvas.getContext('2d');
  const image = ctx.createImageData(w, h);
  for (let i = 0; i < h * w; i++) {
    const v = pixels[i];
    image.data.set([v, v, v, 255], 4 * i);
  }
  ctx.putImageData(image, 0, 0);
  canvas.style.width = w * scale + 'px';
  canvas.style.height = h * scale + 'px';
  return canvas;
}

/**
 * A kernel's `values` (h·w) on one diverging scale: −scale blue, 0 white, +scale red, so that the sign and
 * the strength of every filter of a layer compare at a glance.
 */
export function divergingCanvas(values, h, w, scale, size, attrs = {}) {
  const canvas = el('canvas', {width: w, height: h, ...attrs});
  const ctx = canvas.getContext('2d');
  const image = ctx.createImageData(w, h);
  values.forEach((v, i) => {
    const t = scale > 0 ? Math.max(-1, Math.min(1, v / scale)) : 0;
    const fade = Math.round(255 * (1 - Math.abs(t)));
    image.data.set(t >= 0 ? [255, fade, fade, 255] : [fade, fade, 255, 255], 4 * i);
  });
  ctx.putImageData(image, 0, 0);
  canvas.style.width = w * size + 'px';
  canvas.style.height = h * size + 'px';
  return canvas;
}

/** Test image `index` of `run`'s test set, as the server's 28×28 PNG, enlarged by CSS; fetched when visible. */
export function testImage(run, index, size = 56, attrs = {}) {
  return el('img', {src: '/api/image?' + new URLSearchParams({run, index}), width: size, height: size,
    alt: 'test image ' + index, loading: 'lazy', class: 'digit', ...attrs});
}

/**
 * A pad to draw a digit on with the mouse (or a finger), and `pixels()`: the drawing as MNIST prepares its
 * images — the ink's bounding box scaled to fit 20×20, keeping its aspect ratio, then placed in 28×28 so that
 * its centre of mass is the centre — as 784 values in 0..1, white ink on black. `onDone` is called when a
 * stroke ends.
 */
export function drawingPad(onDone, size = 224) {
  const canvas = el('canvas', {width: size, height: size, class: 'pad', title: 'draw a digit'});
  const ctx = canvas.getContext('2d');
  const clear = () => {
    ctx.fillStyle = '#000';
    ctx.fillRect(0, 0, size, size);
  };
  clear();
  ctx.strokeStyle = '#fff';
  ctx.lineWidth = size / 12;
  ctx.lineCap = ctx.lineJoin = 'round';
  let last = null;
  const at = e => {
    const r = canvas.getBoundingClientRect();
    return [(e.clientX - r.left) * size / r.width, (e.clientY - r.top) * size / r.height];
  };
  canvas.addEventListener('pointerdown', e => { last = at(e); canvas.setPointerCapture(e.pointerId); });
  canvas.addEventListener('pointermove', e => {
    if (!last) return;
    const p = at(e);
    ctx.beginPath();
    ctx.moveTo(...last);
    ctx.lineTo(...p);
    ctx.stroke();
    last = p;
  });
  const end = () => { if (last) { last = null; onDone(); } };
  canvas.addEventListener('pointerup', end);
  canvas.addEventListener('pointerleave', end);

  function pixels() {
    const src = ctx.getImageData(0, 0, size, size).data;
    let [x0, y0, x1, y1] = [size, size, -1, -1];
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        if (src[4 * (y * size + x)] > 20) {
          x0 = Math.min(x0, x); x1 = Math.max(x1, x); y0 = Math.min(y0, y); y1 = Math.max(y1, y);
        }
      }
    }
    if (x1 < 0) return null;                       // nothing drawn
    const f = 20 / Math.max(x1 - x0 + 1, y1 - y0 + 1);
    const w = Math.max(1, Math.round((x1 - x0 + 1) * f));
    const h = Math.max(1, Math.round((y1 - y0 + 1) * f));
    const box = el('canvas', {width: w, height: h});   // the ink scaled into 20×20 (smoothed by the browser)
    box.getContext('2d').drawImage(canvas, x0, y0, x1 - x0 + 1, y1 - y0 + 1, 0, 0, w, h);
    const ink = box.getContext('2d').getImageData(0, 0, w, h).data;
    let [mass, mx, my] = [0, 0, 0];
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const v = ink[4 * (y * w + x)] / 255;
        mass += v; mx += v * x; my += v * y;
      }
    }
    const dx = Math.round(14 - (mass ? mx / mass : w / 2) - 0.5);
    const dy = Math.round(14 - (mass ? my / mass : h / 2) - 0.5);
    const out = new Array(784).fill(0);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const tx = x + dx, ty = y + dy;
        if (tx >= 0 && tx < 28 && ty >= 0 && ty < 28) out[ty * 28 + tx] = ink[4 * (y * w + x)] / 255;
      }
    }
    return out;
  }

  return {canvas, pixels, clear};
}

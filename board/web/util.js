// Small helpers every view of the board shares: JSON from the server, elements, tables.

/** GET (or POST with `body`) a board route; resolves to its JSON, rejects with the server's one-line error. */
export async function api(path, params = {}, body = undefined) {
  const query = new URLSearchParams(params).toString();
  const response = await fetch(path + (query ? '?' + query : ''), body === undefined ? {} : {
    method: 'POST', headers: {'Content-Type': 'application/json'}, body: JSON.stringify(body)});
  const json = await response.json().catch(() => ({error: response.status + ' ' + response.statusText}));
  if (!response.ok) {
    throw new Error(json.error || response.statusText);
  }
  return json;
}

/** `el('td', {class: 'x'}, 'text', child)`: an element with attributes (`on*` are listeners) and children. */
export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c !== undefined && c !== null) e.append(c instanceof Node ? c : String(c));
  }
  return e;
}

/** A number as a table shows it: 4 significant digits, or as it is if it is not a number. */
export function fmt(v) {
  if (v === null || v === undefined || v === '') return '';
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isFinite(n)) return String(v);
  if (Number.isInteger(n) && Math.abs(n) < 1e6) return String(n);
  const a = Math.abs(n);
  return a !== 0 && (a < 1e-3 || a >= 1e6) ? n.toExponential(3) : n.toPrecision(4);
}

/** A table of `columns` and `rows` (arrays of cells). */
export function table(columns, rows, attrs = {}) {
  return el('table', attrs,
    el('thead', {}, el('tr', {}, columns.map(c => el('th', {}, c)))),
    el('tbody', {}, rows.map(r => el('tr', {}, r.map(c => el('td', {}, c instanceof Node ? c : fmt(c)))))));
}

/** A message in place of a view's content (`kind`: 'muted' or 'error'). */
export function note(text, kind = 'muted') {
  return el('p', {class: kind}, text);
}

/** Series colours, as matplotlib's tab10. */
export const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2',
  '#7f7f7f', '#bcbd22', '#17becf'];

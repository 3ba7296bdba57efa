// The Model view: a run's saved model (.gbx) — its summary; a test image (by index, from a strip of
// thumbnails, or drawn) through every layer, computed by the engine on the server (/api/infer): the
// prediction and its softmax bars, each layer's output (one small map per channel, Dense values as bars), an
// autoencoder's reconstruction and code; each Conv2D's filters (/api/model/filters).
import {api, el, fmt, note} from './util.js';
import {greyCanvas, divergingCanvas, testImage, drawingPad} from './draw.js';
import './errors.js';

const STRIP = 10;                                 // thumbnails in the strip

const view = {
  run: null,                                      // the picked run (/api/run)
  file: null,                                     // its model file shown
  model: null,                                    // /api/model
  shown: null,                                    // run id + file of what the pane holds
  stripFrom: 0,
  loading: null,                                  // the promise of showing `shown`
  request: 0,                                     // the latest inference asked for: older answers are dropped
  charts: [],                                     // ECharts instances of the shown image, disposed on the next
  pad: null,
};

const pane = () => document.getElementById('tab-model');
const active = () => pane().classList.contains('active');

/** The model a run is best shown by: fashion-twist's custom network, else its first model file. */
export function defaultModel(run) {
  return run.models.includes('custom-model.gbx') ? 'custom-model.gbx' : run.models[0] || null;
}

document.addEventListener('board:run', e => {
  view.run = e.detail;
  view.file = defaultModel(e.detail);
  if (active()) load();
});
document.addEventListener('board:tab', e => { if (e.detail === 'model') load(); });
// the Errors view's images open here
document.addEventListener('board:show-image', async e => {
  view.file = e.detail.file;
  window.board.showTab('model');
  await load();
  await inferIndex(e.detail.index);
});

/** Shows the picked run's model file (once per run and file: a second call waits for the first). */
function load() {
  const run = view.run;
  if (!run) return Promise.resolve();
  const key = run.id + '/' + view.file;
  if (view.shown !== key) {
    view.shown = key;
    view.loading = show(run, key);
  }
  return view.loading;
}

async function show(run, key) {
  if (!view.file) {
    pane().replaceChildren(note('this run saved no model (.gbx): fashion-twist saves custom-model.gbx, '
      + 'autoencoder its autoencoder.gbx and encoder_classifier.gbx'));
    return;
  }
  pane().replaceChildren(note('loading ' + view.file + '…'));
  let model;
  try {
    model = await api('/api/model', {run: run.id, file: view.file});
  } catch (err) {
    if (view.shown === key) pane().replaceChildren(picker(), note(err.message, 'error'));  // a corrupt file: its one line
    return;
  }
  if (view.shown !== key) return;                 // another run or model was picked meanwhile
  view.model = model;
  view.stripFrom = 0;
  render();
  if (model.data.test_size > 0) await inferIndex(0);
}

function picker() {
  return el('label', {}, 'model ', el('select', {id: 'model-file', onchange: e => { view.file = e.target.value; load(); }},
    view.run.models.map(f => el('option', {value: f, selected: f === view.file}, f))));
}

function render() {
  const m = view.model;
  const data = m.data;
  view.pad = drawingPad(inferDrawn, 168);
  const canPick = data.test_size > 0;
  pane().replaceChildren(
    el('div', {class: 'model-head'}, picker(),
      el('span', {class: 'muted'}, `${m.kind} · input ${shape(m.input_shape)} · ${m.layers.length} layers · `
        + (m.output.note || ''))),
    el('details', {}, el('summary', {}, 'summary'), el('pre', {class: 'summary'}, m.summary)),
    el('div', {class: 'model-input'},
      el('div', {class: 'pick'},
        el('h3', {}, 'a test image'),
        canPick ? el('div', {}, el('span', {class: 'muted'}, data.description + ': '),
          el('label', {}, 'index ', el('input', {id: 'image-index', type: 'number', min: 0, max: data.test_size - 1,
            value: 0, onchange: e => inferIndex(clamp(e.target.value))})),
          el('button', {onclick: () => inferIndex(Math.floor(Math.random() * data.test_size))}, 'random'))
          : note(data.error || 'no test images', 'error'),
        canPick ? el('div', {class: 'strip-row'},
          el('button', {onclick: () => strip(-STRIP)}, '‹'), el('div', {id: 'strip', class: 'strip'}),
          el('button', {onclick: () => strip(STRIP)}, '›')) : null),
      m.input_shape.reduce((a, b) => a * b, 1) === 784 ? el('div', {class: 'draw'},
        el('h3', {}, 'or draw one'), view.pad.canvas,
        el('div', {}, el('button', {onclick: () => view.pad.clear()}, 'clear'),
          el('span', {class: 'muted small'}, ' centred and scaled as MNIST\'s digits (20×20 in 28×28)'))) : null),
    el('div', {id: 'model-result'}),
    el('div', {id: 'model-filters'}));
  if (canPick) strip(0);
  renderFilters();
}

function clamp(v) {
  return Math.max(0, Math.min(view.model.data.test_size - 1, Math.floor(Number(v) || 0)));
}

function strip(step) {
  const n = view.model.data.test_size;
  view.stripFrom = Math.max(0, Math.min(n - STRIP, view.stripFrom + step));
  const indices = Array.from({length: Math.min(STRIP, n)}, (_, i) => view.stripFrom + i);
  document.getElementById('strip').replaceChildren(...indices.map(i => el('figure', {class: 'thumb', 'data-index': i,
    onclick: () => inferIndex(i)}, testImage(view.run.id, i, 42), el('figcaption', {}, i))));
}

async function inferIndex(index) {
  const input = document.getElementById('image-index');
  if (input) input.value = index;
  document.querySelectorAll('#strip .thumb').forEach(t => t.classList.toggle('selected', Number(t.dataset.index) === index));
  await infer(() => api('/api/infer', {run: view.run.id, file: view.file, index}));
}

async function inferDrawn() {
  const pixels = view.pad.pixels();
  if (pixels) await infer(() => api('/api/infer', {run: view.run.id, file: view.file}, {pixels}));
}

async function infer(ask) {
  const request = ++view.request;
  const target = document.getElementById('model-result');
  target.classList.add('busy');
  let result;
  try {
    result = await ask();
  } catch (err) {
    if (request === view.request) target.replaceChildren(note(err.message, 'error'));
    return;
  } finally {
    target.classList.remove('busy');
  }
  if (request !== view.request) return;
  view.charts.forEach(c => c.dispose());
  view.charts = [];
  target.replaceChildren(prediction(result), autoencoder(result), layers(result));
  target.dataset.index = result.index ?? 'drawn';   // null fields are left out of the JSON
  drawBars(result);
}

// --- one image's results --------------------------------------------------------------------------------

function prediction(r) {
  const p = r.prediction;
  const input = el('figure', {}, greyCanvas(r.input.pixels, 28, 28, 4, {class: 'digit'}),
    el('figcaption', {}, r.index == null ? 'drawn (as centred)' : 'test image ' + r.index));
  if (!p) return r.autoencoder ? '' : el('div', {class: 'prediction'}, input);  // an autoencoder shows it beside its reconstruction
  const right = r.label == null ? '' : r.label === p.class ? ' ✓' : ' ✗';
  return el('div', {class: 'prediction'}, input,
    el('div', {},
      el('div', {class: 'top'}, 'predicted ', el('b', {id: 'top-class', 'data-class': p.class}, p.class_name),
        r.label == null ? '' : el('span', {class: r.label === p.class ? 'right' : 'wrong'},
          ' · true ' + r.label_name + right)),
      el('div', {class: 'muted small'}, p.note),
      el('div', {id: 'softmax', class: 'softmax', style: `height:${40 + 22 * p.values.length}px`})));
}

function drawBars(r) {
  const p = r.prediction;
  const target = document.getElementById('softmax');
  if (!p || !target) return;
  const names = p.classes || p.values.map((_, i) => String(i));
  const chart = echarts.init(target);
  chart.setOption({
    animation: false,
    grid: {left: 10, right: 50, top: 10, bottom: 20, containLabel: true},
    xAxis: {type: 'value', max: p.activation === 'softmax' || p.activation === 'sigmoid' ? 1 : null},
    yAxis: {type: 'category', data: names, inverse: true},
    series: [{type: 'bar', data: p.values.map((v, i) => ({value: v, itemStyle: {color: i === p.class ? '#1f77b4' : '#9ca3af'}})),
      label: {show: true, position: 'right', formatter: x => fmt(x.value)}}],
  });
  view.charts.push(chart);
}

function autoencoder(r) {
  const a = r.autoencoder;
  if (!a) return '';
  const c = a.code;
  return el('div', {class: 'autoencoder'},
    el('figure', {}, greyCanvas(r.input.pixels, 28, 28, 4, {class: 'digit'}), el('figcaption', {}, 'input')),
    el('figure', {}, greyCanvas(a.reconstruction.pixels, 28, 28, 4, {class: 'digit', id: 'reconstruction'}),
      el('figcaption', {}, 'reconstruction')),
    el('figure', {}, el('div', {class: 'code'}, c.maps.map((m, k) => greyCanvas(m.pixels, c.height, c.width, 10,
      {class: 'digit code-map', title: 'code channel ' + k}))),
      el('figcaption', {}, `the code: ${a.code_name} ${shape(a.code_shape)}, one map per channel, one scale `
        + `(${fmt(c.min)} black … ${fmt(c.max)} white)`)));
}

function layers(r) {
  return el('div', {class: 'layers'}, el('h3', {}, 'every layer\'s output'), r.layers.map(l => {
    const head = el('h4', {}, `${l.index} · ${l.name} (${l.type}) → ${shape(l.output_shape)}`);
    if (l.kind === 'maps') {
      const scale = 44 / l.width;                   // every map 44 px wide, whatever its size
      return el('section', {class: 'layer', 'data-layer': l.index, 'data-type': l.type}, head,
        el('div', {class: 'muted small'}, 'one map per channel, each scaled to its own range (hover: the range)'),
        el('div', {class: 'fmaps'}, l.maps.map((m, k) => greyCanvas(m.pixels, l.height, l.width, scale,
          {class: 'fmap digit', 'data-channel': k, title: `channel ${k}: ${fmt(m.min)} … ${fmt(m.max)}`}))));
    }
    if (l.kind === 'values') {
      return el('section', {class: 'layer', 'data-layer': l.index, 'data-type': l.type}, head,
        el('div', {class: 'muted small'}, `${l.values.length} values, ${fmt(l.min)} … ${fmt(l.max)}`), values(l));
    }
    return el('section', {class: 'layer', 'data-layer': l.index, 'data-type': l.type}, head);
  }));
}

/** A short 1-D output (Dense) as ECharts bars; a long one (Flatten) as a grey strip, 128 values a row. */
function values(l) {
  if (l.values.length <= 256) {
    const target = el('div', {class: 'dense-bars'});
    requestAnimationFrame(() => {
      const chart = echarts.init(target);
      chart.setOption({animation: false, grid: {left: 40, right: 10, top: 10, bottom: 20},
        tooltip: {trigger: 'axis'}, xAxis: {type: 'category', data: l.values.map((_, i) => i)},
        yAxis: {type: 'value'}, series: [{type: 'bar', data: l.values, itemStyle: {color: '#1f77b4'}}]});
      view.charts.push(chart);
    });
    return target;
  }
  const w = 128;
  const h = Math.ceil(l.values.length / w);
  const span = l.max - l.min || 1;
  const pixels = Array.from({length: w * h}, (_, i) => i < l.values.length ? Math.round(255 * (l.values[i] - l.min) / span) : 0);
  return greyCanvas(pixels, h, w, 3, {class: 'digit strip-values'});
}

// --- filters ---------------------------------------------------------------------------------------------

function renderFilters() {
  const convs = view.model.layers.filter(l => l.type === 'Conv2D');
  const target = document.getElementById('model-filters');
  if (!convs.length) return;
  target.replaceChildren(el('h3', {}, 'filters of each Conv2D'),
    el('p', {class: 'muted small'}, 'each filter\'s kernel, blue negative, white 0, red positive, one scale per layer '
      + '(± its largest |weight|); with several input channels, their mean or the one chosen'),
    ...convs.map(l => el('section', {class: 'filters', 'data-layer': l.index}, el('h4', {}, `${l.index} · ${l.name}`),
      el('div', {class: 'kernels'}, note('loading…')))));
  convs.forEach(l => loadFilters(l.index, null));
}

async function loadFilters(layer, channel) {
  const section = document.querySelector(`#model-filters .filters[data-layer="${layer}"]`);
  const params = {run: view.run.id, file: view.file, layer};
  if (channel !== null) params.channel = channel;
  let f;
  try {
    f = await api('/api/model/filters', params);
  } catch (err) {
    section.querySelector('.kernels').replaceChildren(note(err.message, 'error'));
    return;
  }
  const size = Math.max(4, Math.round(36 / f.width));
  const choose = f.input_channels > 1 ? el('select', {onchange: e => loadFilters(layer, e.target.value === '' ? null : e.target.value)},
    el('option', {value: ''}, 'mean over the ' + f.input_channels + ' input channels'),
    Array.from({length: f.input_channels}, (_, c) => el('option', {value: c, selected: f.channel === c}, 'input channel ' + c)))
    : null;
  section.replaceChildren(el('h4', {}, `${f.layer} · ${f.name}: ${f.filters.length} filters ${shape(f.kernel_shape)}, `
      + `scale ±${fmt(f.scale)} `, choose || el('span', {class: 'muted'}, '(' + f.shown + ')')),
    el('div', {class: 'kernels'}, f.filters.map(k => divergingCanvas(k.values, f.height, f.width, f.scale, size,
      {class: 'kernel', title: `filter ${k.filter}, bias ${fmt(k.bias)}`}))));
}

function shape(s) {
  return '(' + s.join(', ') + (s.length === 1 ? ',)' : ')');
}

/** For the curious and the browser tests: what the view holds, and a way to show an image. */
window.boardModel = {view, inferIndex};

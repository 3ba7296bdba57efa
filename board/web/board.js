// glassbox board: the runs list, live training curves, the --inspect and --profile tables and a run's figures.
// The other views (model.js, embeddings.js) draw into their own tab when a run is picked: they listen for
// the document's "board:run" event, whose detail is the run as /api/run gives it.
import {api, el, fmt, note, table, PALETTE} from './util.js';
import './model.js';
import './embeddings.js';

const POLL_MS = 1000;          // how often the event logs of shown runs are read
const RUNS_EVERY = 3;          // the runs list is read every third poll

const state = {
  runs: [],                    // /api/runs, newest first
  current: null,               // the picked run (/api/run)
  overlay: new Set(),          // ids of runs whose curves are drawn beside the current one's
  logs: new Map(),             // run id → RunLog
  tab: 'training',
  polls: 0,
  redraw: true,                // the set of shown runs changed: draw even if no log did
};

/**
 * A run's event log folded into curves: per fit, its epoch records and its step records (x = step within
 * the fit, counted across epochs). A "resume" record drops what the interrupted epoch had logged.
 */
class RunLog {
  constructor(id) {
    this.id = id;
    this.next = 0;
    this.fits = new Map();
    this.changed = true;
  }

  fit(name) {
    if (!this.fits.has(name)) {
      this.fits.set(name, {name, epochsTotal: 0, stepsPerEpoch: 0, epochs: new Map(), steps: [], last: null, ended: false});
    }
    return this.fits.get(name);
  }

  apply(r) {
    const f = this.fit(r.fit);
    switch (r.type) {
      case 'fit':
        f.epochsTotal = r.epochs;
        f.stepsPerEpoch = r.steps;
        break;
      case 'step':
        f.steps.push([(r.epoch - 1) * f.stepsPerEpoch + r.step, r.loss, r.accuracy, r.epoch]);
        f.last = r;
        break;
      case 'epoch':
        f.epochs.set(r.epoch, r);
        break;
      case 'end':
        f.ended = true;
        break;
      case 'resume':
        for (const e of [...f.epochs.keys()]) if (e > r.epoch) f.epochs.delete(e);
        f.steps = f.steps.filter(s => s[3] <= r.epoch);
        f.ended = false;
        break;
    }
    this.changed = true;
  }

  /** Reads what the log gained since the last call (in pieces, if it is long). */
  async poll() {
    for (;;) {
      const chunk = await api('/api/events', {run: this.id, from: this.next});
      if (chunk.reset) {
        this.fits.clear();
      }
      chunk.records.forEach(r => this.apply(r));
      this.next = chunk.next;
      if (!chunk.more) return;
    }
  }
}

function log(id) {
  if (!state.logs.has(id)) state.logs.set(id, new RunLog(id));
  return state.logs.get(id);
}

// --- the runs list --------------------------------------------------------------------------------------

async function refreshRuns() {
  const list = await api('/api/runs');
  document.getElementById('root').textContent = list.root;
  state.runs = list.runs;
  renderRuns();
  if (state.current) {
    const now = state.runs.find(r => r.id === state.current.id);
    if (now && now.state !== state.current.state) {
      await selectRun(state.current.id, false);     // it finished (or stopped): its files and tables changed
    }
  }
}

function renderRuns() {
  const filter = document.getElementById('runs-filter').value.trim().toLowerCase();
  const body = document.querySelector('#runs tbody');
  const rows = state.runs.filter(r => !filter || [r.id, r.state, r.commit || ''].some(s => s.toLowerCase().includes(filter)))
    .map(r => el('tr', {'data-run': r.id, class: state.current && state.current.id === r.id ? 'selected' : null,
        onclick: e => { if (e.target.type !== 'checkbox') selectRun(r.id); }},
      el('td', {}, el('input', {type: 'checkbox', title: 'overlay its curves', checked: state.overlay.has(r.id),
        onchange: e => toggleOverlay(r.id, e.target.checked)})),
      el('td', {}, el('div', {class: 'run-name'}, r.experiment), el('div', {class: 'muted small'},
        r.started.replace('T', ' ').slice(0, 19) + (r.commit ? ' · ' + r.commit.slice(0, 7) : ''))),
      el('td', {}, el('span', {class: 'state ' + r.state, title: r.error || ''}, r.state)),
      el('td', {class: 'small'}, r.headline.map(h => el('div', {},
        h.figure + ': ', el('b', {}, fmt(h.glassbox)), h.seed !== null && h.seed !== undefined ? ' (' + fmt(h.seed) + ')' : '')))));
  body.replaceChildren(...rows);
  document.getElementById('runs-empty').hidden = state.runs.length > 0;
}

function toggleOverlay(id, on) {
  if (on) state.overlay.add(id); else state.overlay.delete(id);
  state.redraw = true;
  pollLogs().then(drawTraining);
}

// --- one run --------------------------------------------------------------------------------------------

async function selectRun(id, announce = true) {
  let run;
  try {
    run = await api('/api/run', {run: id});
  } catch (e) {
    document.getElementById('run-title').replaceChildren(note(e.message, 'error'));
    return;
  }
  const changed = !state.current || state.current.id !== id;
  state.current = run;
  history.replaceState(null, '', '#run=' + encodeURIComponent(id) + '&tab=' + state.tab);
  document.getElementById('run-title').replaceChildren(...[
    el('h2', {}, run.id), el('span', {class: 'state ' + run.state}, run.state),
    run.error ? el('span', {class: 'error'}, run.error) : null,
    el('span', {class: 'muted'}, 'started ' + run.started.replace('T', ' ').slice(0, 19)
      + (run.commit ? ' · commit ' + run.commit.slice(0, 10) : ''))].filter(Boolean));
  renderRuns();
  renderInspect(run);
  renderProfile(run);
  renderFigures(run);
  if (changed) state.redraw = true;
  await pollLogs();
  drawTraining();
  if (announce || changed) document.dispatchEvent(new CustomEvent('board:run', {detail: run}));
}

/** The --inspect metrics: one chart per fit and metric, a line per layer over the epochs, then the table. */
const INSPECT_METRICS = [['activation_mean', false], ['activation_std', false], ['dead_fraction', false],
  ['grad_norm', true], ['update_ratio', true]];

function renderInspect(run) {
  const pane = document.getElementById('tab-inspect');
  if (!run.inspect) {
    pane.replaceChildren(note('This run recorded no inspection: run the experiment with --inspect to see, per layer '
      + 'and epoch, the activations\' mean and std, the dead ReLUs, the gradient norm and the update/weight ratio.'));
    return;
  }
  const cols = run.inspect.columns;
  const at = name => cols.indexOf(name);
  const models = [...new Set(run.inspect.rows.map(r => r[at('model')]))];
  const charts = [];
  for (const model of models) {
    const rows = run.inspect.rows.filter(r => r[at('model')] === model);
    const layers = [...new Set(rows.map(r => r[at('layer')]))];
    const epochs = [...new Set(rows.map(r => Number(r[at('epoch')])))].sort((a, b) => a - b);
    for (const [metric, log] of INSPECT_METRICS) {
      const series = [{label: 'epoch'}];
      const data = [epochs];
      layers.forEach((layer, i) => {
        const ys = epochs.map(e => {
          const row = rows.find(r => r[at('layer')] === layer && Number(r[at('epoch')]) === e);
          const v = row && row[at(metric)] !== '' ? Number(row[at(metric)]) : null;
          return v === null || !Number.isFinite(v) || (log && v <= 0) ? null : v;
        });
        if (ys.some(v => v !== null)) {
          series.push({label: layer, stroke: PALETTE[i % PALETTE.length], width: 2, points: {show: true, size: 5}});
          data.push(ys);
        }
      });
      if (series.length > 1) charts.push({model, metric, log, series, data});
    }
  }
  const grid = el('div', {class: 'inspect-charts'});
  pane.replaceChildren(
    run.warnings.length ? el('div', {class: 'warnings'}, el('h3', {}, 'warnings'), el('ul', {}, run.warnings.map(w => el('li', {}, w))))
      : note('no warnings: no layer was dead, exploding or stalled'),
    grid,
    el('details', {}, el('summary', {}, 'inspect.csv'), table(cols, run.inspect.rows, {class: 'data', id: 'inspect-table'})));
  for (const c of charts) {
    const target = el('div');
    grid.append(el('figure', {}, el('figcaption', {}, (models.length > 1 ? c.model + ': ' : '') + c.metric.replace('_', ' ')
      + (c.log ? ' (log scale)' : '')), target));
    new uPlot({width: 420, height: 220, series: c.series, legend: {live: false},
      scales: {x: {time: false}, y: c.log ? {distr: 3} : {}},
      axes: [{label: 'epoch', incrs: [1, 2, 5, 10, 20, 50]}, {label: c.metric, size: 60}]}, c.data, target);
  }
}

function renderProfile(run) {
  const pane = document.getElementById('tab-profile');
  if (!run.profile) {
    pane.replaceChildren(note('This run recorded no profile: run the experiment with --profile to see where each '
      + 'epoch\'s time goes (every layer\'s forward and backward, the loss, the optimiser, batching).'));
    return;
  }
  const cols = run.profile.columns;
  const share = cols.indexOf('share');
  const most = Math.max(...run.profile.rows.map(r => Number(r[share])));
  const rows = run.profile.rows.map(r => r.map((c, i) => i === share
    ? el('span', {class: 'bar', style: `--w:${(100 * Number(c) / most).toFixed(1)}%`}, (100 * Number(c)).toFixed(1) + ' %')
    : c === 'NaN' ? '' : c));
  pane.replaceChildren(table(cols, rows, {class: 'data', id: 'profile-table'}));
}

function renderFigures(run) {
  const pane = document.getElementById('tab-figures');
  const base = '/files/' + run.id.split('/').map(encodeURIComponent).join('/') + '/';
  pane.replaceChildren(...(run.figures.length ? run.figures.map(f => el('figure', {class: 'png'},
    el('img', {src: base + encodeURIComponent(f), alt: f, loading: 'lazy'}), el('figcaption', {}, f)))
    : [note(run.state === 'running' ? 'figures appear when the run ends' : 'no figures in this run folder')]));
}

// --- the training curves --------------------------------------------------------------------------------

async function pollLogs() {
  const ids = [...new Set([state.current && state.current.id, ...state.overlay].filter(Boolean))];
  await Promise.all(ids.map(id => log(id).poll()));
}

const charts = {};

function shownLogs() {
  const ids = [...new Set([state.current && state.current.id, ...state.overlay].filter(Boolean))];
  return ids.map(id => log(id));
}

function drawTraining() {
  const logs = shownLogs();
  if (!state.redraw && !logs.some(l => l.changed) && Object.keys(charts).length) return;
  state.redraw = false;
  logs.forEach(l => l.changed = false);
  const several = logs.length > 1;
  const fits = logs.flatMap(l => [...l.fits.values()].map(f => ({run: l.id, f,
    label: (several ? l.id + ' · ' : '') + f.name})));
  drawEpochs('loss', fits);
  drawEpochs('accuracy', fits);
  drawSteps(logs.length ? logs[0] : null);
  describeProgress(logs.length ? logs[0] : null);
}

function drawEpochs(metric, fits) {
  const maxEpoch = Math.max(0, ...fits.map(x => Math.max(0, ...x.f.epochs.keys())));
  const xs = Array.from({length: maxEpoch}, (_, i) => i + 1);
  const series = [{label: 'epoch'}];
  const data = [xs];
  fits.forEach((x, i) => {
    const colour = PALETTE[i % PALETTE.length];
    for (const [key, dash] of [[metric, undefined], ['val_' + metric, [6, 4]]]) {
      const ys = xs.map(e => x.f.epochs.has(e) ? x.f.epochs.get(e)[key] : null);
      if (ys.every(v => v === null)) continue;
      series.push({label: x.label + (dash ? ' val_' : ' ') + metric, stroke: colour, dash, width: 2,
        points: {show: true, size: 6}});
      data.push(ys);
    }
  });
  draw('chart-' + metric, series, data, 'epoch', metric);
}

function drawSteps(l) {
  const fits = l ? [...l.fits.values()] : [];
  const maxStep = Math.max(0, ...fits.map(f => f.steps.length ? f.steps[f.steps.length - 1][0] : 0));
  const xs = Array.from({length: maxStep}, (_, i) => i + 1);
  const series = [{label: 'step'}];
  const data = [xs];
  fits.forEach((f, i) => {
    const ys = new Array(maxStep).fill(null);
    f.steps.forEach(s => { ys[s[0] - 1] = s[1]; });
    // the log keeps a step every 20 ms or so: join the kept ones across the steps it passed over
    series.push({label: f.name + ' loss', stroke: PALETTE[i % PALETTE.length], width: 1, points: {show: false},
      spanGaps: true});
    data.push(ys);
  });
  draw('chart-steps', series, data, 'step (counted across epochs)', 'loss');
}

function draw(id, series, data, xLabel, yLabel) {
  const target = document.getElementById(id);
  const labels = series.map(x => x.label).join('\n');
  if (charts[id] && charts[id].labels === labels) {
    charts[id].setData(data);                     // the same lines, more points: no new chart
  } else {
    if (charts[id]) charts[id].destroy();
    const opts = {width: Math.max(320, target.clientWidth || 480), height: 260, series,
      scales: {x: {time: false}}, legend: {live: false},
      axes: [{label: xLabel, incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000]},
        {label: yLabel}]};
    charts[id] = new uPlot(opts, data, target);
    charts[id].labels = labels;
  }
  target.dataset.points = JSON.stringify(data.slice(1).map(ys => ys.filter(v => v !== null).length));
}

function describeProgress(l) {
  const p = document.getElementById('progress');
  if (!l || !l.fits.size) {
    p.textContent = state.current ? 'no training events in this run (it trains nothing, or it ran before event logs existed)' : '';
    return;
  }
  const running = state.current && state.current.state === 'running';
  const f = [...l.fits.values()].pop();
  const at = f.last ? `epoch ${f.last.epoch}/${f.epochsTotal}, step ${f.last.step}/${f.stepsPerEpoch}` : 'starting';
  p.textContent = (running ? 'training ' + f.name + ': ' + at : l.fits.size + ' fit' + (l.fits.size > 1 ? 's' : '')
    + ': ' + [...l.fits.keys()].join(', '));
}

// --- tabs, polling, start ------------------------------------------------------------------------------

function showTab(name) {
  state.tab = name;
  document.querySelectorAll('#tabs button').forEach(b => b.classList.toggle('active', b.dataset.tab === name));
  document.querySelectorAll('.tab').forEach(t => t.classList.toggle('active', t.id === 'tab-' + name));
  if (state.current) history.replaceState(null, '', '#run=' + encodeURIComponent(state.current.id) + '&tab=' + name);
  if (name === 'training') Object.keys(charts).forEach(k => { charts[k].destroy(); delete charts[k]; });
  drawTraining();
  document.dispatchEvent(new CustomEvent('board:tab', {detail: name}));
}

async function tick() {
  const status = document.getElementById('poll');
  try {
    if (state.polls++ % RUNS_EVERY === 0) await refreshRuns();
    await pollLogs();
    drawTraining();
    status.textContent = 'updated ' + new Date().toLocaleTimeString();
    status.classList.remove('error');
  } catch (e) {
    status.textContent = 'cannot reach the board: ' + e.message;
    status.classList.add('error');
  }
  setTimeout(tick, POLL_MS);
}

document.querySelectorAll('#tabs button').forEach(b => b.addEventListener('click', () => showTab(b.dataset.tab)));
document.getElementById('runs-filter').addEventListener('input', renderRuns);

/** What the page holds, for the curious (and the browser tests): `board.state`, `board.selectRun(id)`. */
window.board = {state, selectRun, showTab};

/** The address's #run=…&tab=…: what to show, so that a link (or the back button) picks a run and a tab. */
async function followHash() {
  const hash = new URLSearchParams(location.hash.slice(1));
  const id = hash.get('run') || (state.current ? state.current.id : state.runs.length ? state.runs[0].id : null);
  if (hash.get('tab') && hash.get('tab') !== state.tab) showTab(hash.get('tab'));
  if (id && (!state.current || state.current.id !== id)) await selectRun(id);
}

window.addEventListener('hashchange', followHash);

(async () => {
  await refreshRuns().catch(() => {});
  await followHash();
  tick();
})();

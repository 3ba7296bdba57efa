// The Errors view: a classifier's confusion matrix on the test set as an ECharts heatmap (/api/confusion);
// clicking a cell lists the test images of that cell (/api/confusion/cell), each of which opens in the
// Model view.
import {api, el, fmt, note} from './util.js';
import {testImage} from './draw.js';

const view = {run: null, file: null, shown: null, confusion: null, chart: null};
const pane = () => document.getElementById('tab-errors');
const active = () => pane().classList.contains('active');

document.addEventListener('board:run', e => {
  view.run = e.detail;
  // the classifier a run is judged by: fashion-twist's custom network, the autoencoder run's stacked
  // classifier, else the first model
  const models = e.detail.models;
  view.file = ['custom-model.gbx', 'encoder_classifier.gbx'].find(f => models.includes(f)) || models[0] || null;
  if (active()) load();
});
document.addEventListener('board:tab', e => { if (e.detail === 'errors') load(); });

async function load() {
  const run = view.run;
  if (!run || view.shown === run.id + '/' + view.file) return;
  view.shown = run.id + '/' + view.file;
  if (view.chart) {
    view.chart.dispose();
    view.chart = null;
  }
  if (!view.file) {
    pane().replaceChildren(note('this run saved no model (.gbx), so there is no classifier to show the errors of'));
    return;
  }
  const picker = el('label', {}, 'model ', el('select', {id: 'errors-file', onchange: e => { view.file = e.target.value; load(); }},
    run.models.map(f => el('option', {value: f, selected: f === view.file}, f))));
  pane().replaceChildren(picker, note('predicting every test image with ' + view.file
    + ' (seconds the first time; kept while the file is unchanged)…'));
  let c;
  try {
    c = await api('/api/confusion', {run: run.id, file: view.file});
  } catch (err) {
    if (view.shown === run.id + '/' + view.file) pane().replaceChildren(picker, note(err.message, 'error'));
    return;
  }
  if (view.shown !== run.id + '/' + view.file) return;   // another run or model was picked meanwhile
  view.confusion = c;
  const heat = el('div', {id: 'confusion', class: 'confusion', 'data-counts': JSON.stringify(c.counts),
    style: `height:${120 + 48 * c.classes.length}px`});
  pane().replaceChildren(picker,
    el('p', {}, `${c.data}: ${c.total} images, accuracy ${fmt(c.accuracy)}. Rows: true class, columns: predicted; `
      + 'each cell shows its count; the errors are red by their share of the row, the worst darkest. '
      + 'Click a cell to list its images.'),
    heat, el('div', {id: 'cell'}));
  drawHeatmap(heat, c);
}

function drawHeatmap(target, c) {
  const n = c.classes.length;
  const right = [];                               // the diagonal: one quiet colour
  const wrong = [];                               // the errors: red by their share of the row
  c.counts.forEach((row, t) => {
    const sum = row.reduce((a, b) => a + b, 0) || 1;
    row.forEach((count, p) => (p === t ? right : wrong).push({value: [p, t, count / sum], count}));
  });
  // the largest error is the darkest red, so that the worst confusions stand out however good the diagonal is
  const worst = Math.max(1e-9, ...wrong.map(d => d.value[2]));
  const label = {show: true, formatter: x => String(x.data.count)};
  const cell = {borderColor: '#e5e7eb', borderWidth: 1};
  const chart = echarts.init(target);
  chart.setOption({
    animation: false,
    tooltip: {formatter: x => `true ${c.classes[x.value[1]]}, predicted ${c.classes[x.value[0]]}: ${x.data.count}`
        + ` (${(100 * x.value[2]).toFixed(1)} % of the row)`},
    grid: {left: 10, right: 20, top: 10, bottom: 10, containLabel: true},
    xAxis: {type: 'category', data: c.classes, position: 'top', axisLabel: {interval: 0, rotate: 20}},
    yAxis: {type: 'category', data: c.classes, inverse: true},
    visualMap: [
      {show: false, seriesIndex: 0, min: 0, max: 1, inRange: {color: ['#dbeafe', '#dbeafe']}},
      {show: false, seriesIndex: 1, min: 0, max: worst, inRange: {color: ['#ffffff', '#d62728']}},
    ],
    series: [{type: 'heatmap', data: right, label, itemStyle: cell},
      {type: 'heatmap', data: wrong, label, itemStyle: cell}],
  });
  chart.on('click', x => selectCell(x.value[1], x.value[0]));
  view.chart = chart;
  target.dataset.classes = String(n);
}

/** Lists the test images of true class `t` predicted as `p`, each opening in the Model view. */
export async function selectCell(t, p) {
  const target = document.getElementById('cell');
  let cell;
  try {
    cell = await api('/api/confusion/cell', {run: view.run.id, file: view.file, true: t, predicted: p});
  } catch (err) {
    target.replaceChildren(note(err.message, 'error'));
    return;
  }
  target.dataset.true = t;
  target.dataset.predicted = p;
  target.replaceChildren(
    el('h3', {}, `true ${cell.true_name}, predicted ${cell.predicted_name}: ${cell.count} image${cell.count === 1 ? '' : 's'}`),
    cell.count ? el('div', {class: 'cell-images'}, cell.indices.map(i => el('figure', {class: 'cell-image', 'data-index': i,
      title: 'open in the Model view', onclick: () => document.dispatchEvent(new CustomEvent('board:show-image',
        {detail: {file: view.file, index: i}}))}, testImage(view.run.id, i, 42), el('figcaption', {}, i))))
      : note('no image in this cell'));
}

/** For the curious and the browser tests: the view's state, and a cell's list without aiming at the canvas. */
window.boardErrors = {view, selectCell};

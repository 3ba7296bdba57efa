// The Embeddings view: a run's 2-D embedding (PCA, t-SNE) as an ECharts scatter plot, coloured by the true
// label or by a clustering; hovering a point shows its image.
import {api, el, note, PALETTE} from './util.js';

let chart = null;
let data = null;        // /api/embedding of the shown run
let run = null;

document.addEventListener('board:run', async e => {
  run = e.detail;
  data = null;
  const pane = document.getElementById('tab-embeddings');
  if (!run.files.includes('embedding.csv')) {
    pane.replaceChildren(note('This run has no embedding: fashion-embedding (PCA and t-SNE of the custom network\'s '
      + 'features) and kmeans-labels (PCA of the images) make one.'));
    return;
  }
  try {
    data = await api('/api/embedding', {run: run.id});
  } catch (err) {
    pane.replaceChildren(note(err.message, 'error'));
    return;
  }
  const method = el('select', {id: 'embedding-method', onchange: draw},
    Object.keys(data.methods).map(m => el('option', {value: m}, m === 'tsne' ? 't-SNE' : m.toUpperCase())));
  const colouring = el('select', {id: 'embedding-colouring', onchange: draw},
    Object.keys(data.colourings).map(c => el('option', {value: c}, c === 'label' ? 'true label' : c)));
  pane.replaceChildren(
    el('div', {class: 'controls'}, el('label', {}, 'map ', method), ' ', el('label', {}, 'colour by ', colouring),
      el('span', {class: 'muted'}, ` ${data.index.length.toLocaleString()} ${data.split} images; hover a point to see it`)),
    el('div', {id: 'embedding-chart', style: 'width: 100%; height: 640px'}));
  draw();
});

document.addEventListener('board:tab', e => { if (e.detail === 'embeddings' && chart) chart.resize(); });

function draw() {
  const target = document.getElementById('embedding-chart');
  if (!data || !target) return;
  const method = document.getElementById('embedding-method').value;
  const colouring = document.getElementById('embedding-colouring').value;
  const [xs, ys] = data.methods[method];
  const ids = data.colourings[colouring];
  const names = data.names[colouring];
  const groups = new Map();
  ids.forEach((id, i) => {
    if (!groups.has(id)) groups.set(id, []);
    groups.get(id).push([xs[i], ys[i], i]);
  });
  const series = [...groups.keys()].sort((a, b) => a - b).map((id, k) => ({
    name: names[id], type: 'scatter', data: groups.get(id), symbolSize: 4,
    itemStyle: {color: id === -1 ? '#c7c7c7' : PALETTE[k % PALETTE.length], opacity: 0.75},
  }));
  if (chart) chart.dispose();
  chart = echarts.init(target);
  chart.setOption({
    animation: false,
    legend: {type: 'scroll', top: 0},
    grid: {top: 40, left: 50, right: 20, bottom: 40},
    xAxis: {name: method === 'tsne' ? 't-SNE 1' : 'component 1', nameLocation: 'middle', nameGap: 25, scale: true,
      axisLine: {onZero: false}, splitLine: {show: false}},
    yAxis: {name: method === 'tsne' ? 't-SNE 2' : 'component 2', nameLocation: 'middle', nameGap: 35, scale: true,
      axisLine: {onZero: false}, splitLine: {show: false}},
    tooltip: {trigger: 'item', formatter: p => {
      const i = p.value[2];
      const src = '/api/image?' + new URLSearchParams({run: run.id, split: data.split, index: data.index[i]});
      return `<img class="digit" src="${src}" width="84" height="84"><br>${p.seriesName} · ${data.split} image ${data.index[i]}`;
    }},
    series,
  });
  target.dataset.points = String(ids.length);
  target.dataset.series = String(series.length);
}

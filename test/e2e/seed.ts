/** Seeds a finished handoff for the sidebar tests; the same function backs the preview's sample button. */
export { storeFinishedHandoff as seedHandoff } from '../../server/http/store-finished-handoff.ts';

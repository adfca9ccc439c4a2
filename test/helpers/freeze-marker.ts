/** Text that makes test/helpers/frozen-analysis-server.ts freeze its analysis (shared with the test). */
export const FREEZE_MARKER = 'freeze-the-analysis-now';

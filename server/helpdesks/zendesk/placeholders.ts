/**
 * Zendesk placeholders and Liquid in customer or bot text (https://support.zendesk.com/hc/en-us/articles/4408886858138);
 * the shared implementation is briefing/placeholders.ts (the sidebar imports it from here).
 */
export { hrefWithoutBraces, neutralizePlaceholders } from '../../briefing/placeholders.ts';

/**
 * Zendesk turns URLs in comments into live links by itself (https://support.zendesk.com/hc/en-us/articles/4408830863130);
 * the shared implementation is briefing/inert-urls.ts.
 */
export { inertUrls } from '../../briefing/inert-urls.ts';

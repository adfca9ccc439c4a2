// @vitest-environment jsdom
/**
 * The sidebar with what a customer or a bot can plant (issue 7, item 8: links, Zendesk placeholders) and with
 * a long conversation cut on the server (item 3).
 */
import './dom-setup.ts';
import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App } from '../../../app/src/App.tsx';
import { sampleReport } from '../../../app/src/demo/sample-report.ts';
import type { HandoffReport } from '../../../server/types/handoff-report.ts';
import { okHandoff, setup } from './fake-zaf.ts';

afterEach(cleanup);

async function renderReport(report: HandoffReport, locale?: string) {
  const { zaf, controller } = setup(okHandoff(report));
  if (locale) zaf.values['currentUser.locale'] = locale;
  const view = render(<App controller={controller} />);
  await act(async () => {
    zaf.register({}, {});
  });
  await waitFor(() => expect(view.container.querySelector('main')?.getAttribute('data-phase')).toBe('ready'));
  return { zaf, ...view };
}

const links = (el: HTMLElement) => [...el.querySelectorAll('a')].map((a) => ({ href: a.getAttribute('href'), text: a.textContent }));

describe('sidebar: links a customer or a bot can plant', () => {
  it('shows customer-typed URLs (page, key facts) as text, never as links', async () => {
    const r = sampleReport();
    r.context.pageUrl = 'https://evil.example/page';
    r.keyFacts.push({ kind: 'url', value: 'https://evil.example/login', messageIndex: 0 });
    r.attemptedSolutions = [];
    const { container } = await renderReport(r);
    expect(screen.getByText('https://evil.example/page')).toBeInTheDocument();
    expect(screen.getByText('https://evil.example/login')).toBeInTheDocument();
    expect(links(container).filter((l) => l.href?.includes('evil.example'))).toEqual([]);
  });

  it('links an allow-listed article live with its host beside the title; a non-listed one is text with its URL', async () => {
    const r = sampleReport();
    r.attemptedSolutions = [
      { kind: 'article', text: 'Refund policy', url: 'https://help.example.com/refunds', linkAllowed: true, messageIndex: 1, outcome: 'ignored' },
      { kind: 'article', text: 'Reset your password', url: 'https://help-example.evil.test/reset', messageIndex: 1, outcome: 'ignored' },
      // Title that pretends to be another URL: not listed, so the real one is what shows.
      { kind: 'link', text: 'https://help.example.com/safe', url: 'https://evil.example/phish', messageIndex: 1, outcome: 'ignored' },
    ];
    const { container } = await renderReport(r);
    const items = screen.getAllByTestId('solution');
    expect(links(container).map((l) => l.href)).toEqual(['https://help.example.com/refunds']);
    const live = within(items[0]!).getByRole('link');
    expect(live).toHaveTextContent('Refund policy');
    expect(within(items[0]!).getByTestId('link-host')).toHaveTextContent('(help.example.com)');
    expect(within(items[1]!).queryByRole('link')).toBeNull();
    expect(within(items[1]!).getByTestId('unlisted-url')).toHaveTextContent('https://help-example.evil.test/reset');
    expect(items[1]).toHaveTextContent('not a link from your help center');
    expect(within(items[2]!).queryByRole('link')).toBeNull();
    expect(within(items[2]!).getByTestId('unlisted-url')).toHaveTextContent('https://evil.example/phish');
  });

  it('neutralises Zendesk placeholders in what it shows and in the opener it inserts into a reply', async () => {
    const r = sampleReport();
    r.opener.text = 'Hi {{ticket.requester.email}}, {% if x %}sorry{% endif %}';
    r.summary.text = 'Customer wrote {{current_user.email}}';
    const { zaf } = await renderReport(r);
    expect(screen.getByTestId('summary').textContent).toBe('Customer wrote {\u200B{current_user.email}}');
    await userEvent.setup().click(screen.getByRole('button', { name: 'Insert into reply' }));
    const inserted = zaf.invokes.filter((i) => i.name === 'ticket.editor.insert').map((i) => i.args[0] as string);
    expect(inserted).toEqual(['Hi {\u200B{ticket.requester.email}}, {\u200B% if x %}sorry{\u200B% endif %}']);
    expect(document.body.textContent).not.toMatch(/\{\{|\{%/);
  });
});

describe('sidebar: a long conversation cut on the server', () => {
  it('says how many messages and characters were cut', async () => {
    await renderReport(sampleReport({ cuts: { messagesTruncated: 24, charactersCut: 192_000, messagesDropped: 1_501 } }));
    const notice = screen.getByTestId('cuts');
    expect(notice).toHaveAttribute('role', 'status');
    expect(notice).toHaveTextContent('Long conversation');
    expect(screen.getByTestId('cuts-text')).toHaveTextContent('1,501 messages and 192,000 characters were cut; the first 50 and last 450 messages are shown.');
  });

  it('says so, translated, when the analysis ran in a reduced form', async () => {
    await renderReport(sampleReport({ cuts: { messagesTruncated: 1, charactersCut: 196_000, messagesDropped: 0, degraded: { reason: 'time_budget', skipped: [] } } }), 'de');
    expect(screen.getByTestId('cuts-text')).toHaveTextContent('196.000 Zeichen wurden aus langen Nachrichten gekürzt');
    expect(screen.getByTestId('cuts-degraded')).toHaveTextContent('Die Unterhaltung war zu lang');
  });

  it('shows no notice when nothing was cut', async () => {
    await renderReport(sampleReport());
    expect(screen.queryByTestId('cuts')).toBeNull();
  });
});

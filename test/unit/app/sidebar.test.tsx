// @vitest-environment jsdom
import './dom-setup.ts';
import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App } from '../../../app/src/App.tsx';
import { sampleReport, SAMPLE_TICKET_ID } from '../../../app/src/demo/sample-report.ts';
import { okHandoff, setup, statusOnly, type Responder } from './fake-zaf.ts';

afterEach(cleanup);

async function renderApp(responder?: Responder, registration?: { settings?: Record<string, unknown>; context?: Record<string, unknown> }) {
  const { zaf, controller } = setup(responder);
  const view = render(<App controller={controller} />);
  await act(async () => {
    zaf.register(registration?.context ?? {}, registration?.settings ?? {});
  });
  return { zaf, controller, ...view };
}

const phase = (container: HTMLElement) => container.querySelector('main')?.getAttribute('data-phase');

describe('sidebar states', () => {
  it('shows an accessible loading skeleton until the report arrives', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const responder: Responder = async (o) => {
      await gate;
      return okHandoff()(o);
    };
    const { container } = await renderApp(responder);
    const status = screen.getByTestId('loading');
    expect(status).toHaveAttribute('role', 'status');
    expect(status).toHaveAttribute('aria-busy', 'true');
    expect(status).toHaveTextContent('Loading the briefing…');
    await act(async () => release());
    await waitFor(() => expect(phase(container)).toBe('ready'));
  });

  it.each([
    [404, 'no_handoff', 'No bot handoff for this ticket', 'status'],
    [401, 'unauthorized', "Baton couldn't verify this account", 'alert'],
    [502, 'unreachable', "Can't reach the Baton server", 'alert'],
    [0, 'unreachable', "Can't reach the Baton server", 'alert'],
    [500, 'error', 'Something went wrong', 'alert'],
  ] as const)('HTTP %i → %s state', async (status, ph, title, role) => {
    const { container } = await renderApp(statusOnly(status));
    await waitFor(() => expect(phase(container)).toBe(ph));
    const box = screen.getByTestId(`state-${ph}`);
    expect(box).toHaveTextContent(title);
    expect(box).toHaveAttribute('role', role);
  });

  it('retries on request from the error and unreachable states', async () => {
    let calls = 0;
    const responder: Responder = async (o) => (++calls === 1 ? statusOnly(503)(o) : okHandoff()(o));
    const { zaf, container } = await renderApp(responder);
    await waitFor(() => expect(phase(container)).toBe('unreachable'));
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    await waitFor(() => expect(phase(container)).toBe('ready'));
    expect(zaf.handoffRequests()).toHaveLength(2);
  });

  it('says Baton is not set up when the server URL setting is empty, without calling anything', async () => {
    const { zaf, container } = await renderApp(undefined, { settings: { server_url: '' } });
    await waitFor(() => expect(phase(container)).toBe('not_configured'));
    expect(zaf.requests).toHaveLength(0);
  });
});

describe('one request per ticket open', () => {
  it('makes exactly one signed request although Zendesk sends app.registered and app.activated (twice)', async () => {
    const { zaf, container } = await renderApp();
    await act(async () => zaf.emit('app.activated', { firstLoad: false }));
    await waitFor(() => expect(phase(container)).toBe('ready'));
    await act(async () => zaf.emit('app.activated', { firstLoad: false }));
    expect(zaf.handoffRequests()).toHaveLength(1);
    const req = zaf.handoffRequests()[0]!;
    expect(req.url).toBe(`https://baton.example.com/v1/tickets/${SAMPLE_TICKET_ID}/handoff`);
    expect(req.secure).toBe(true);
    expect(req.headers).toEqual({ Authorization: 'Bearer {{jwt.token}}' });
    // The token is bound to the ticket it is for; the server refuses it for any other (sidebar-auth.ts).
    expect(req.jwt).toMatchObject({ algorithm: 'HS256', secret_key: '{{setting.shared_secret}}', claims: { iss: 'acme', ticket_id: SAMPLE_TICKET_ID } });
    // The server refuses tokens living longer than 300 s.
    expect(req.jwt?.expiry).toBeGreaterThan(0);
    expect(req.jwt?.expiry).toBeLessThanOrEqual(300);
  });
});

describe('briefing', () => {
  it('shows every part of the report with sensible ARIA', async () => {
    const { container } = await renderApp();
    await waitFor(() => expect(phase(container)).toBe('ready'));
    const r = sampleReport();
    expect(screen.getByRole('heading', { level: 1, name: 'Baton briefing' })).toBeInTheDocument();
    expect(screen.getByTestId('summary')).toHaveTextContent(r.summary.text);
    expect(screen.getByRole('region', { name: 'Why the bot escalated' })).toHaveTextContent('Customer asked for a person');
    expect(screen.getByTestId('trigger-evidence')).toHaveTextContent('I want to talk to a real person!!!');
    expect(screen.getByRole('img', { name: /Sentiment over 4 customer messages: Neutral, Negative, Negative, Negative\. Trend: getting worse/ })).toBeInTheDocument();
    const tried = screen.getByRole('region', { name: 'What the bot already tried' });
    expect(within(tried).getAllByText('Rejected')).toHaveLength(2);
    const link = within(tried).getByRole('link', { name: /Refund policy: how long refunds take/ });
    expect(link).toHaveAttribute('href', 'https://help.example.com/hc/articles/360001234');
    expect(link).toHaveAttribute('target', '_blank');
    expect(link.getAttribute('rel')).toMatch(/noopener/);
    for (const f of r.keyFacts) expect(screen.getByRole('button', { name: `Copy ${f.value}` })).toBeInTheDocument();
    const customer = screen.getByRole('region', { name: 'Customer' });
    expect(customer).toHaveTextContent('gold');
    // The page URL comes from the chat widget (customer-controlled): text, not a link (issue 7, item 8).
    expect(within(customer).getByText('https://shop.example.com/account/orders/A-10482')).toBeInTheDocument();
    expect(within(customer).queryByRole('link')).toBeNull();
    expect(screen.getByTestId('opener-text')).toHaveTextContent(r.opener.text);
    const transcriptToggle = screen.getByRole('button', { name: 'Bot conversation (7 messages)' });
    expect(transcriptToggle).toHaveAttribute('aria-expanded', 'false');
    expect(screen.getByRole('group', { name: 'Was this briefing accurate?' })).toBeInTheDocument();
  });

  it('hides the transcript when the admin turned it off', async () => {
    const { container } = await renderApp(undefined, { settings: { show_transcript: false } });
    await waitFor(() => expect(phase(container)).toBe('ready'));
    expect(screen.queryByRole('button', { name: /Bot conversation/ })).toBeNull();
  });

  it('does not render javascript: links', async () => {
    const r = sampleReport();
    r.attemptedSolutions[0]!.url = 'javascript:alert(1)';
    const { container } = await renderApp(okHandoff(r));
    await waitFor(() => expect(phase(container)).toBe('ready'));
    expect(screen.queryByRole('link', { name: /Refund policy/ })).toBeNull();
    expect(screen.getByText('Refund policy: how long refunds take')).toBeInTheDocument();
  });

  it('inserts the opener into the reply through ticket.editor.insert, or the edited text', async () => {
    const user = userEvent.setup();
    const { zaf, container } = await renderApp();
    await waitFor(() => expect(phase(container)).toBe('ready'));
    await user.click(screen.getByRole('button', { name: 'Insert into reply' }));
    expect(zaf.invokes.filter((i) => i.name === 'ticket.editor.insert')).toEqual([{ name: 'ticket.editor.insert', args: [sampleReport().opener.text] }]);
    expect(await screen.findByText('Inserted into the reply.')).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Edit before inserting' }));
    const box = screen.getByLabelText('Opener text');
    await user.clear(box);
    await user.type(box, 'Hello Maya!');
    await user.click(screen.getByRole('button', { name: 'Insert edited text' }));
    expect(zaf.invokes.filter((i) => i.name === 'ticket.editor.insert').at(-1)).toEqual({ name: 'ticket.editor.insert', args: ['Hello Maya!'] });
  });

  it('posts thumbs-up feedback with the handoff id', async () => {
    const user = userEvent.setup();
    const { zaf, container } = await renderApp();
    await waitFor(() => expect(phase(container)).toBe('ready'));
    await user.click(screen.getByRole('button', { name: 'Yes, accurate' }));
    expect(await screen.findByTestId('feedback-thanks')).toHaveTextContent('Thanks!');
    const post = zaf.requests.find((r) => r.type === 'POST')!;
    expect(post.url).toBe(`https://baton.example.com/v1/tickets/${SAMPLE_TICKET_ID}/handoff/feedback`);
    expect(post.contentType).toBe('application/json');
    expect(JSON.parse(post.data!)).toEqual({ handoffId: 'ho_test', accurate: true });
    expect(post.secure).toBe(true);
  });

  it('asks for an optional comment on thumbs-down and reports a failed send', async () => {
    const user = userEvent.setup();
    const { zaf, container } = await renderApp();
    zaf.feedbackResponder = statusOnly(500);
    await waitFor(() => expect(phase(container)).toBe('ready'));
    await user.click(screen.getByRole('button', { name: 'No, not accurate' }));
    expect(screen.getByRole('button', { name: 'No, not accurate' })).toHaveAttribute('aria-pressed', 'true');
    await user.type(screen.getByLabelText('What was wrong? (optional)'), 'Wrong amount');
    await user.click(screen.getByRole('button', { name: 'Send feedback' }));
    expect(await screen.findByRole('alert')).toHaveTextContent("Couldn't send feedback");
    expect(JSON.parse(zaf.requests.find((r) => r.type === 'POST')!.data!)).toEqual({ handoffId: 'ho_test', accurate: false, comment: 'Wrong amount' });
  });

  it('reaches every control with Tab, in reading order', async () => {
    const user = userEvent.setup();
    const { container } = await renderApp();
    await waitFor(() => expect(phase(container)).toBe('ready'));
    const names: string[] = [];
    for (let i = 0; i < 10; i++) {
      await user.tab();
      const el = document.activeElement as HTMLElement;
      names.push(el.getAttribute('aria-label') ?? el.textContent?.trim() ?? el.tagName);
    }
    expect(names).toEqual([
      'Refund policy: how long refunds take (opens in a new tab)',
      'Copy A-10482',
      'Copy $129.00',
      'Copy 2024-05-02',
      'Copy maya.r@example.com',
      'Insert into reply',
      'Edit before inserting',
      'Bot conversation (7 messages)',
      'Yes, accurate',
      'No, not accurate',
    ]);
    // The transcript opens with the keyboard.
    screen.getByRole('button', { name: 'Bot conversation (7 messages)' }).focus();
    await user.keyboard('{Enter}');
    expect(screen.getByRole('button', { name: 'Bot conversation (7 messages)' })).toHaveAttribute('aria-expanded', 'true');
    expect(screen.getByText(/You keep sending me the same article/)).toBeVisible();
  });

  it('follows the workspace locale and colour scheme, and asks Zendesk to resize the iframe', async () => {
    const { zaf, controller } = setup();
    zaf.values['currentUser.locale'] = 'de';
    zaf.values.colorScheme = 'dark';
    const { container } = render(<App controller={controller} />);
    await act(async () => zaf.register());
    await waitFor(() => expect(phase(container)).toBe('ready'));
    const main = container.querySelector('main')!;
    expect(main).toHaveAttribute('lang', 'de');
    expect(main).toHaveAttribute('data-color-scheme', 'dark');
    expect(screen.getByRole('button', { name: 'In Antwort einfügen' })).toBeInTheDocument();
    await act(async () => zaf.emit('colorScheme.changed', 'light'));
    expect(main).toHaveAttribute('data-color-scheme', 'light');
    await waitFor(() => expect(zaf.invokes.some((i) => i.name === 'resize')).toBe(true));
    expect(zaf.invokes.find((i) => i.name === 'resize')!.args[0]).toMatchObject({ width: '100%', height: expect.stringMatching(/^\d+px$/) });
  });
});

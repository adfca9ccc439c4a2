// @vitest-environment jsdom
/**
 * The sidebar's headings follow the agent's locale; the report's text is in the tenant's briefing locale
 * and the opener in the customer's. Each carries its own lang, so nothing is announced in the wrong language.
 */
import './dom-setup.ts';
import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, render, screen, waitFor } from '@testing-library/react';
import { App } from '../../../app/src/App.tsx';
import { sampleReport } from '../../../app/src/demo/sample-report.ts';
import { analyze } from '../../../server/analysis/index.ts';
import type { HandoffEvent, HandoffMessage } from '../../../server/types/handoff-event.ts';
import type { HandoffReport } from '../../../server/types/handoff-report.ts';
import { okHandoff, setup } from './fake-zaf.ts';

afterEach(cleanup);

const eventOf = (messages: HandoffMessage[]): HandoffEvent => ({
  id: 'generic:test',
  tenantId: 'test',
  source: 'generic',
  receivedAt: '2026-11-20T10:00:00Z',
  trigger: { kind: 'unknown', nativeType: 'test' },
  conversation: { nativeId: 'c1' },
  customer: {},
  messages,
  transcriptComplete: true,
  target: { helpdesk: 'zendesk' },
  raw: null,
});

async function show(report: HandoffReport, agentLocale: string) {
  const { zaf, controller } = setup(okHandoff(report));
  zaf.values['currentUser.locale'] = agentLocale;
  const view = render(<App controller={controller} />);
  await act(async () => zaf.register());
  await waitFor(() => expect(view.container.querySelector('main')?.getAttribute('data-phase')).toBe('ready'));
  return view;
}

describe('sidebar languages', () => {
  it('German agent, Japanese briefing, Spanish customer: each text says which language it is in', async () => {
    const report = analyze(
      eventOf([{ role: 'customer', text: 'Hola, quiero cancelar mi suscripción y el botón no funciona' }, { role: 'customer', text: 'quiero hablar con un humano' }]),
      { briefingLocale: 'ja' },
    );
    const { container } = await show(report, 'de');
    expect(container.querySelector('main')).toHaveAttribute('lang', 'de');
    expect(screen.getByTestId('summary')).toHaveAttribute('lang', 'ja');
    expect(screen.getByTestId('summary').textContent).toMatch(/^お客様のメッセージ:「Hola, quiero cancelar/);
    expect(screen.getByTestId('next-steps')).toHaveAttribute('lang', 'ja');
    expect(screen.getByTestId('opener-text')).toHaveAttribute('lang', 'es');
    expect(screen.getByTestId('opener-text').textContent).toMatch(/^Hola/);
    // The headings stay the agent's.
    expect(screen.getByRole('button', { name: 'In Antwort einfügen' })).toBeInTheDocument();
  });

  it('a report from before briefingLocale is English text, said so under any agent locale', async () => {
    const report = sampleReport();
    delete report.briefingLocale;
    await show(report, 'fr');
    expect(screen.getByTestId('summary')).toHaveAttribute('lang', 'en');
    expect(screen.getByTestId('opener-text')).toHaveAttribute('lang', report.opener.locale);
  });
});

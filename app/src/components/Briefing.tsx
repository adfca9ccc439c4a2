import { Fragment, useMemo } from 'react';
import styled from 'styled-components';
import { getColor } from '@zendeskgarden/react-theming';
import { Anchor } from '@zendeskgarden/react-buttons';
import { Tag } from '@zendeskgarden/react-tags';
import { Accordion } from '@zendeskgarden/react-accordions';
import type { AttemptedSolution, HandoffReport, SolutionOutcome, TriggerHit } from '../../../server/types/handoff-report.ts';
import type { HandoffPayload } from '../api.ts';
import { useI18n } from '../i18n/context.tsx';
import { CopyButton } from './CopyButton.tsx';
import { CutsNotice } from './CutsNotice.tsx';
import { untrustedReport } from './untrusted-report.ts';
import { Feedback } from './Feedback.tsx';
import { CheckIcon, CrossIcon } from './icons.tsx';
import { DefList, Muted, PlainList, Quote, Row, Section, VisuallyHidden } from './layout.tsx';
import { Opener } from './Opener.tsx';
import { Sparkline } from './Sparkline.tsx';

const Header = styled.header`
  display: flex;
  flex-wrap: wrap;
  align-items: baseline;
  justify-content: space-between;
  gap: ${(p) => p.theme.space.xs};
`;

const H1 = styled.h1`
  margin: 0;
  font-size: ${(p) => p.theme.fontSizes.lg};
  font-weight: ${(p) => p.theme.fontWeights.semibold};
`;

const Summary = styled.p`
  margin: 0;
`;

const SolutionItem = styled.li<{ $rejected: boolean }>`
  padding-left: ${(p) => p.theme.space.xs};
  border-left: 3px solid
    ${(p) => getColor({ theme: p.theme, variable: p.$rejected ? 'border.dangerEmphasis' : 'border.default' })};
`;

const TranscriptLine = styled.li`
  font-size: ${(p) => p.theme.fontSizes.sm};
`;

const OutcomeInner = styled.span`
  display: inline-flex;
  align-items: center;
  gap: 4px;
  overflow: visible !important;
`;

const outcomeHue: Record<SolutionOutcome, string> = { rejected: 'red', ignored: 'grey', accepted: 'green', unclear: 'yellow' };

function OutcomeTag({ outcome }: { outcome: SolutionOutcome }) {
  const { t } = useI18n();
  return (
    <Tag size="small" hue={outcomeHue[outcome]} data-outcome={outcome}>
      <OutcomeInner>
        {outcome === 'rejected' && <CrossIcon />}
        {outcome === 'accepted' && <CheckIcon />}
        {t(`sidebar.solution.outcome.${outcome}`)}
      </OutcomeInner>
    </Tag>
  );
}

export function ExternalLink({ href, children }: { href: string; children: React.ReactNode }) {
  const { t } = useI18n();
  const safe = /^https?:\/\//i.test(href);
  if (!safe) return <span>{children}</span>;
  return (
    <Anchor href={href} target="_blank" rel="noopener noreferrer">
      {children}
      <VisuallyHidden> {t('sidebar.solution.opensNewTab')}</VisuallyHidden>
    </Anchor>
  );
}

/** The host of an absolute http(s) URL, or undefined. */
function hostOf(url: string): string | undefined {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.host : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Same rule as the note (server/helpdesks/zendesk/render-note.ts): a live link only for a host on the tenant's
 * knowledge-base allow-list (`linkAllowed`), its text the real URL or the title with the host beside it; any
 * other URL is shown as text, so a customer cannot plant a phishing link that looks endorsed.
 */
export function SolutionLink({ s }: { s: Pick<AttemptedSolution, 'text' | 'url' | 'linkAllowed'> }) {
  const { t } = useI18n();
  if (!s.url) return <>{s.text}</>;
  const titled = s.text.trim() !== '' && s.text.trim() !== s.url.trim();
  const host = hostOf(s.url);
  if (s.linkAllowed && host) {
    return (
      <>
        <ExternalLink href={s.url}>{titled ? s.text : s.url}</ExternalLink>
        {titled && <Muted data-testid="link-host"> ({host})</Muted>}
      </>
    );
  }
  return (
    <>
      {titled && <>{s.text} </>}
      <span data-testid="unlisted-url">{s.url}</span> <Muted>· {t('sidebar.solution.unlistedLink')}</Muted>
    </>
  );
}

function Solution({ s }: { s: AttemptedSolution }) {
  const { t } = useI18n();
  return (
    <SolutionItem $rejected={s.outcome === 'rejected'} data-testid="solution">
      <Row>
        <OutcomeTag outcome={s.outcome} />
        <Muted>{t(`sidebar.solution.kind.${s.kind}`)}</Muted>
      </Row>
      <div>
        <SolutionLink s={s} />
      </div>
      {s.reaction && (
        <Quote aria-label={t('sidebar.solution.reaction')}>
          “{s.reaction.excerpt}”
        </Quote>
      )}
    </SolutionItem>
  );
}

/**
 * The language Baton wrote the report's text in (the tenant's briefing locale; English before reports said).
 * The headings follow the agent's locale, the text may not: its lang attribute says which it is, so screen
 * readers and translation tools read it right.
 */
function textLang(r: HandoffReport): string {
  return r.briefingLocale ?? 'en';
}

function Why({ report }: { report: HandoffReport }) {
  const { t } = useI18n();
  const primary: TriggerHit | undefined = report.triggers.find((x) => x.id === report.primaryTrigger);
  const others = report.triggers.filter((x) => x.id !== report.primaryTrigger);
  return (
    <Section id="why" title={t('sidebar.sections.why')}>
      <strong data-testid="primary-trigger">{t(`sidebar.trigger.${report.primaryTrigger}`)}</strong>
      {primary?.detail && <Muted lang={textLang(report)}> · {primary.detail}</Muted>}
      {primary?.evidence?.excerpt && (
        <>
          <VisuallyHidden>{t('sidebar.why.customerSaid')}:</VisuallyHidden>
          <Quote data-testid="trigger-evidence">“{primary.evidence.excerpt}”</Quote>
        </>
      )}
      {others.length > 0 && (
        <Row style={{ marginTop: 6 }}>
          <Muted>{t('sidebar.why.alsoFlagged')}:</Muted>
          {others.map((o) => (
            <Tag key={o.id} size="small" hue="grey">
              {t(`sidebar.trigger.${o.id}`)}
            </Tag>
          ))}
        </Row>
      )}
    </Section>
  );
}

const sentimentHue = { negative: 'red', neutral: 'grey', positive: 'green' } as const;
const priorityHue = { urgent: 'red', high: 'orange', normal: 'blue', low: 'grey' } as const;

export function Briefing({
  payload,
  showTranscript,
  onInsert,
  onFeedback,
}: {
  payload: HandoffPayload;
  showTranscript: boolean;
  onInsert: (text: string) => Promise<boolean>;
  onFeedback: (accurate: boolean, comment?: string) => Promise<boolean>;
}) {
  const { t, intlLocale } = useI18n();
  // Customer and bot text with Zendesk placeholders neutralised (the agent may insert or copy it into a reply).
  const r = useMemo(() => untrustedReport(payload.report), [payload.report]);
  const trend = t(`sidebar.sentiment.trend.${r.sentiment.trend}`);
  const when = (() => {
    const d = new Date(payload.createdAt);
    if (Number.isNaN(d.getTime())) return undefined;
    try {
      return new Intl.DateTimeFormat(intlLocale, { dateStyle: 'medium', timeStyle: 'short' }).format(d);
    } catch {
      return d.toISOString();
    }
  })();
  const ctx = r.context;

  return (
    <article aria-labelledby="baton-title" data-testid="briefing">
      <Header>
        <H1 id="baton-title">{t('sidebar.title')}</H1>
        <Tag size="small" hue={priorityHue[r.priority.level]} data-testid="priority">
          {t('sidebar.priority.label', { level: t(`sidebar.priority.level.${r.priority.level}`) })}
        </Tag>
      </Header>
      {when && <Muted>{t('sidebar.handedOver', { time: when })}</Muted>}
      <CutsNotice cuts={r.cuts} />

      <Section id="summary" title={t('sidebar.sections.summary')}>
        <Summary data-testid="summary" lang={textLang(r)}>
          {r.summary.text}
        </Summary>
      </Section>

      <Why report={r} />

      <Section id="sentiment" title={t('sidebar.sections.sentiment')}>
        <Row>
          <Tag size="small" hue={sentimentHue[r.sentiment.label]} data-testid="sentiment-label">
            {t(`sidebar.sentiment.label.${r.sentiment.label}`)}
          </Tag>
          <span>{trend}</span>
          {r.sentiment.trajectory.length > 0 && <Sparkline points={r.sentiment.trajectory} trendLabel={trend} />}
        </Row>
        <Muted>{t('sidebar.sentiment.frustration', { percent: Math.round(r.sentiment.frustration * 100) })}</Muted>
      </Section>

      <Section id="attempted" title={t('sidebar.sections.attempted')}>
        {r.attemptedSolutions.length === 0 ? (
          <Muted>{t('sidebar.solution.none')}</Muted>
        ) : (
          <PlainList>
            {r.attemptedSolutions.map((s, i) => (
              <Solution key={`${s.messageIndex}-${i}`} s={s} />
            ))}
          </PlainList>
        )}
      </Section>

      <Section id="facts" title={t('sidebar.sections.facts')}>
        {r.keyFacts.length === 0 ? (
          <Muted>{t('sidebar.facts.none')}</Muted>
        ) : (
          <DefList data-testid="facts">
            {r.keyFacts.map((f, i) => (
              <div key={`${f.kind}-${i}`} style={{ display: 'contents' }}>
                {/* What the fact is about in the customer's words (issue 14), else its kind. */}
                <dt title={t(`sidebar.facts.kind.${f.kind}`)}>{f.about || t(`sidebar.facts.kind.${f.kind}`)}</dt>
                <dd>
                  <Row style={{ flexWrap: 'nowrap', gap: 4 }}>
                    <span style={{ minWidth: 0 }}>{f.value}</span>
                    <CopyButton value={f.value} />
                  </Row>
                </dd>
              </div>
            ))}
          </DefList>
        )}
      </Section>

      <Section id="customer" title={t('sidebar.sections.customer')}>
        <DefList>
          {(
            [
              ['name', ctx.customerName],
              ['tier', ctx.tier],
              ['page', ctx.pageUrl],
              ['channel', ctx.channel],
              ['language', ctx.locale],
              ['bot', ctx.botName],
            ] as const
          ).map(([key, value]) =>
            value ? (
              <Fragment key={key}>
                <dt>{t(`sidebar.customer.${key}`)}</dt>
                <dd data-testid={key === 'tier' ? 'tier' : undefined}>
                  {/* The page URL comes from the chat widget, which the customer controls: text, never a link. */}
                  {value}
                </dd>
              </Fragment>
            ) : null,
          )}
        </DefList>
      </Section>

      <Section id="opener" title={t('sidebar.sections.opener')}>
        <Opener text={r.opener.text} lang={r.opener.locale} onInsert={onInsert} />
      </Section>

      {r.nextSteps.length > 0 && (
        <Section id="next" title={t('sidebar.sections.nextSteps')}>
          <ol style={{ margin: 0, paddingLeft: 20 }} lang={textLang(r)} data-testid="next-steps">
            {r.nextSteps.map((s, i) => (
              <li key={i}>{s}</li>
            ))}
          </ol>
        </Section>
      )}

      {r.redactions.total > 0 && (
        <p style={{ margin: '12px 0 0' }}>
          <Muted>{t('sidebar.redactions', { count: r.redactions.total })}</Muted>
        </p>
      )}

      {showTranscript && r.transcript.length > 0 && (
        <div style={{ marginTop: 12 }}>
          <Accordion level={2} isCompact isCollapsible defaultExpandedSections={[]} data-testid="transcript">
            <Accordion.Section>
              <Accordion.Header>
                <Accordion.Label>{t('sidebar.sections.transcript', { count: r.transcript.length })}</Accordion.Label>
              </Accordion.Header>
              <Accordion.Panel>
                <PlainList>
                  {r.transcript.map((l, i) => (
                    <TranscriptLine key={i}>
                      <strong>{t(`sidebar.transcript.role.${l.role}`)}:</strong> {l.text}
                    </TranscriptLine>
                  ))}
                </PlainList>
              </Accordion.Panel>
            </Accordion.Section>
          </Accordion>
        </div>
      )}

      <Section id="feedback" title={t('sidebar.sections.feedback')}>
        <Feedback onSend={onFeedback} />
      </Section>
    </article>
  );
}

/**
 * Says when the briefing is partial: what normalization cut from a long conversation (report.cuts; the server
 * keeps the first 50 and last 450 of a very long transcript) and whether the analysis ran in a reduced form.
 * An inline Garden notification with role="status": it informs without interrupting.
 */
import { Alert } from '@zendeskgarden/react-notifications';
import type { ReportCuts } from '../../../server/types/handoff-report.ts';
// A pure module (no Node imports): the numbers the server keeps, so the sidebar cannot drift from them.
import { KEEP_FIRST_MESSAGES as KEEP_FIRST, KEEP_LAST_MESSAGES as KEEP_LAST } from '../../../server/util/cut-transcript.ts';
import { useI18n } from '../i18n/context.tsx';

export function CutsNotice({ cuts }: { cuts: ReportCuts | undefined }) {
  const { t, intlLocale } = useI18n();
  if (!cuts) return null;
  const fmt = (n: number) => {
    try {
      return new Intl.NumberFormat(intlLocale).format(n);
    } catch {
      return String(n);
    }
  };
  const params = { messages: fmt(cuts.messagesDropped), characters: fmt(cuts.charactersCut), first: fmt(KEEP_FIRST), last: fmt(KEEP_LAST) };
  const cutKey =
    cuts.messagesDropped > 0 && cuts.charactersCut > 0
      ? 'messagesAndCharacters'
      : cuts.messagesDropped > 0
        ? 'messagesOnly'
        : cuts.charactersCut > 0
          ? 'charactersOnly'
          : undefined;
  if (!cutKey && !cuts.degraded) return null;
  return (
    <Alert type="info" role="status" data-testid="cuts" style={{ marginTop: 8 }}>
      {cutKey && (
        <>
          <Alert.Title>{t('sidebar.cuts.title')}</Alert.Title>
          <Alert.Paragraph data-testid="cuts-text">{t(`sidebar.cuts.${cutKey}`, params)}</Alert.Paragraph>
        </>
      )}
      {cuts.degraded && (
        <>
          <Alert.Title>{t('sidebar.cuts.degradedTitle')}</Alert.Title>
          <Alert.Paragraph data-testid="cuts-degraded">{t(cuts.degraded.reason === 'time_budget' ? 'sidebar.cuts.degradedTime' : 'sidebar.cuts.degradedFailed')}</Alert.Paragraph>
        </>
      )}
    </Alert>
  );
}

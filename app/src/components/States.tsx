import { Alert, Well } from '@zendeskgarden/react-notifications';
import { Button } from '@zendeskgarden/react-buttons';
import { Skeleton } from '@zendeskgarden/react-loaders';
import type { Phase } from '../controller.ts';
import { useI18n } from '../i18n/context.tsx';
import { VisuallyHidden } from './layout.tsx';

export function LoadingSkeleton() {
  const { t } = useI18n();
  return (
    <div role="status" aria-busy="true" data-testid="loading">
      <VisuallyHidden>{t('sidebar.loading')}</VisuallyHidden>
      <div aria-hidden="true">
        <Skeleton width="55%" height="20px" />
        <div style={{ height: 12 }} />
        <Skeleton />
        <Skeleton />
        <Skeleton width="70%" />
        <div style={{ height: 16 }} />
        <Skeleton width="40%" />
        <Skeleton />
        <Skeleton width="85%" />
        <div style={{ height: 16 }} />
        <Skeleton width="40%" />
        <Skeleton height="60px" />
      </div>
    </div>
  );
}

const STATE_KEYS: Partial<Record<Phase, { key: string; type: 'info' | 'warning' | 'error'; retry: boolean }>> = {
  no_handoff: { key: 'noHandoff', type: 'info', retry: false },
  unreachable: { key: 'unreachable', type: 'warning', retry: true },
  unauthorized: { key: 'unauthorized', type: 'error', retry: false },
  error: { key: 'error', type: 'error', retry: true },
  not_configured: { key: 'notConfigured', type: 'info', retry: false },
  no_ticket: { key: 'noTicket', type: 'info', retry: false },
};

export function StateMessage({ phase, status, onRetry }: { phase: Phase; status?: number; onRetry: () => void }) {
  const { t } = useI18n();
  const s = STATE_KEYS[phase];
  if (!s) return null;
  const title = t(`sidebar.state.${s.key}.title`);
  const body = t(`sidebar.state.${s.key}.body`, { status: status ?? '?' });
  const content = (
    <>
      <p style={{ margin: '4px 0 0' }}>{body}</p>
      {s.retry && (
        <Button size="small" style={{ marginTop: 8 }} onClick={onRetry}>
          {t('sidebar.retry')}
        </Button>
      )}
    </>
  );
  if (s.type === 'info') {
    return (
      <Well data-testid={`state-${phase}`} role="status">
        <Well.Title>{title}</Well.Title>
        {content}
      </Well>
    );
  }
  return (
    <Alert type={s.type} data-testid={`state-${phase}`} role="alert">
      <Alert.Title>{title}</Alert.Title>
      {content}
    </Alert>
  );
}

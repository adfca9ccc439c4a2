/**
 * The sidebar when this Zendesk account is not (or no longer) connected to Baton (issue 13). Admins get a
 * "Connect Baton" button that opens Baton's Connect flow in a new tab (Zendesk's consent page cannot be framed);
 * agents are asked to get their admin. The role only chooses what is shown: Baton itself lets only an admin of
 * the account finish the flow (it asks Zendesk who consented).
 */
import { Well } from '@zendeskgarden/react-notifications';
import { Anchor, Button } from '@zendeskgarden/react-buttons';
import type { ConnectionState } from '../api.ts';
import { useI18n } from '../i18n/context.tsx';

export function ConnectState({ connection, isAdmin }: { connection: ConnectionState; isAdmin: boolean }) {
  const { t } = useI18n();
  const disconnected = connection.reason === 'disconnected';
  const open = (url: string) => {
    window.open(url, '_blank', 'noopener,noreferrer');
  };
  let body: React.ReactNode;
  if (!isAdmin) body = <p data-testid="connect-ask-admin">{t('sidebar.connect.agentBody')}</p>;
  else if (!connection.connectUrl) body = <p data-testid="connect-no-link">{t('sidebar.connect.adminNoLink')}</p>;
  else
    body = (
      <>
        <p>{t('sidebar.connect.adminBody')}</p>
        <Button isPrimary size="small" data-testid="connect-button" data-href={connection.connectUrl} onClick={() => open(connection.connectUrl as string)}>
          {t('sidebar.connect.button')}
        </Button>
        <VisuallyLink url={connection.connectUrl} />
      </>
    );
  return (
    <Well data-testid="state-not_connected" data-reason={connection.reason ?? 'not_connected'} role="status">
      <Well.Title>{t('sidebar.connect.title')}</Well.Title>
      {disconnected && <p>{t('sidebar.connect.disconnectedBody')}</p>}
      {body}
    </Well>
  );
}

/** The same URL as a plain link under the button, for a browser that blocks the new tab. */
function VisuallyLink({ url }: { url: string }) {
  return (
    <p style={{ marginTop: 8, wordBreak: 'break-all', fontSize: 12 }}>
      <Anchor href={url} target="_blank" rel="noopener noreferrer" isExternal>
        {url}
      </Anchor>
    </p>
  );
}

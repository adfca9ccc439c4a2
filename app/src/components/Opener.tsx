import { useId, useState } from 'react';
import styled from 'styled-components';
import { Button } from '@zendeskgarden/react-buttons';
import { Field, Textarea } from '@zendeskgarden/react-forms';
import { Well } from '@zendeskgarden/react-notifications';
import { useI18n } from '../i18n/context.tsx';
import { Muted, Row } from './layout.tsx';

const OpenerText = styled.p`
  margin: 0;
  white-space: pre-wrap;
`;

/** `lang`: the opener's language (the customer's, report.opener.locale), which may differ from the agent's. */
export function Opener({ text, lang, onInsert }: { text: string; lang?: string; onInsert: (text: string) => Promise<boolean> }) {
  const { t } = useI18n();
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(text);
  const [status, setStatus] = useState<'idle' | 'inserted' | 'failed'>('idle');
  const statusId = useId();

  const insert = async (value: string) => {
    const ok = await onInsert(value);
    setStatus(ok ? 'inserted' : 'failed');
    if (ok) setEditing(false);
  };

  return (
    <div>
      {editing ? (
        <Field>
          <Field.Label>{t('sidebar.opener.editLabel')}</Field.Label>
          <Textarea minRows={4} maxRows={12} value={draft} onChange={(e) => setDraft(e.target.value)} data-testid="opener-editor" lang={lang} />
        </Field>
      ) : (
        <Well isRecessed>
          <OpenerText data-testid="opener-text" lang={lang}>
            {draft}
          </OpenerText>
        </Well>
      )}
      <Row style={{ marginTop: 8 }}>
        {editing ? (
          <>
            <Button size="small" isPrimary onClick={() => void insert(draft)} aria-describedby={statusId}>
              {t('sidebar.opener.insertEdited')}
            </Button>
            <Button
              size="small"
              isBasic
              onClick={() => {
                setDraft(text);
                setEditing(false);
              }}
            >
              {t('sidebar.opener.cancel')}
            </Button>
          </>
        ) : (
          <>
            <Button size="small" isPrimary onClick={() => void insert(draft)} aria-describedby={statusId}>
              {t('sidebar.opener.insert')}
            </Button>
            <Button
              size="small"
              isBasic
              onClick={() => {
                setStatus('idle');
                setEditing(true);
              }}
            >
              {t('sidebar.opener.edit')}
            </Button>
          </>
        )}
      </Row>
      <Muted id={statusId} role="status" aria-live="polite">
        {status === 'inserted' ? t('sidebar.opener.inserted') : status === 'failed' ? t('sidebar.opener.insertFailed') : ''}
      </Muted>
    </div>
  );
}

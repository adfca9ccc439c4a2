import { useState } from 'react';
import { Button } from '@zendeskgarden/react-buttons';
import { Field, Textarea } from '@zendeskgarden/react-forms';
import { useI18n } from '../i18n/context.tsx';
import { ThumbDownIcon, ThumbUpIcon } from './icons.tsx';
import { Muted, Row } from './layout.tsx';

type Phase = 'ask' | 'comment' | 'sending' | 'sent' | 'failed';

export function Feedback({ onSend }: { onSend: (accurate: boolean, comment?: string) => Promise<boolean> }) {
  const { t } = useI18n();
  const [phase, setPhase] = useState<Phase>('ask');
  const [choice, setChoice] = useState<boolean | undefined>(undefined);
  const [comment, setComment] = useState('');

  const send = async (accurate: boolean, c?: string) => {
    setPhase('sending');
    setPhase((await onSend(accurate, c)) ? 'sent' : 'failed');
  };

  if (phase === 'sent') {
    return (
      <Muted role="status" data-testid="feedback-thanks">
        {t('sidebar.feedback.thanks')}
      </Muted>
    );
  }

  return (
    <div role="group" aria-labelledby="baton-feedback-q">
      <Row>
        <span id="baton-feedback-q">{t('sidebar.feedback.question')}</span>
        <Button
          size="small"
          isBasic
          aria-label={t('sidebar.feedback.yes')}
          aria-pressed={choice === true}
          disabled={phase === 'sending'}
          onClick={() => {
            setChoice(true);
            void send(true);
          }}
        >
          <ThumbUpIcon />
        </Button>
        <Button
          size="small"
          isBasic
          aria-label={t('sidebar.feedback.no')}
          aria-pressed={choice === false}
          disabled={phase === 'sending'}
          onClick={() => {
            setChoice(false);
            setPhase('comment');
          }}
        >
          <ThumbDownIcon />
        </Button>
      </Row>
      {(phase === 'comment' || (phase === 'failed' && choice === false) || (phase === 'sending' && choice === false)) && (
        <div style={{ marginTop: 8 }}>
          <Field>
            <Field.Label>{t('sidebar.feedback.commentLabel')}</Field.Label>
            <Textarea minRows={2} maxLength={2000} value={comment} onChange={(e) => setComment(e.target.value)} />
          </Field>
          <Button size="small" style={{ marginTop: 8 }} disabled={phase === 'sending'} onClick={() => void send(false, comment.trim() || undefined)}>
            {t('sidebar.feedback.send')}
          </Button>
        </div>
      )}
      {phase === 'failed' && (
        <Muted role="alert" style={{ display: 'block', marginTop: 4 }}>
          {t('sidebar.feedback.failed')}
        </Muted>
      )}
    </div>
  );
}

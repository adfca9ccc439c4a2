import { useState } from 'react';
import { IconButton } from '@zendeskgarden/react-buttons';
import { useI18n } from '../i18n/context.tsx';
import { CopyIcon } from './icons.tsx';
import { VisuallyHidden } from './layout.tsx';

export async function copyText(text: string, doc: Document = document): Promise<boolean> {
  try {
    if (navigator.clipboard?.writeText) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // fall through to the execCommand path (iframes without clipboard-write permission)
  }
  try {
    const ta = doc.createElement('textarea');
    ta.value = text;
    ta.setAttribute('readonly', '');
    ta.style.position = 'fixed';
    ta.style.opacity = '0';
    doc.body.appendChild(ta);
    ta.select();
    const ok = doc.execCommand?.('copy') ?? false;
    ta.remove();
    return ok;
  } catch {
    return false;
  }
}

export function CopyButton({ value }: { value: string }) {
  const { t } = useI18n();
  const [status, setStatus] = useState<'idle' | 'copied' | 'failed'>('idle');
  return (
    <>
      <IconButton
        size="small"
        isBasic
        aria-label={t('sidebar.facts.copy', { value })}
        title={t('sidebar.facts.copy', { value })}
        onClick={async () => setStatus((await copyText(value)) ? 'copied' : 'failed')}
      >
        <CopyIcon />
      </IconButton>
      <VisuallyHidden role="status">
        {status === 'copied' ? t('sidebar.facts.copied', { value }) : status === 'failed' ? t('sidebar.facts.copyFailed') : ''}
      </VisuallyHidden>
    </>
  );
}

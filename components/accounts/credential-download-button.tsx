'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';

/** Posts for the sheet's one download; afterwards the list is read again, which then shows it as downloaded. */
export function CredentialDownloadButton({ jobId, title, returnTo }: { jobId: string; title?: string; returnTo: string }) {
  const router = useRouter();
  const [sent, setSent] = useState(false);
  return (
    <form
      action={`/accounts/credentials/jobs/${jobId}`}
      method="post"
      onSubmit={() => {
        setSent(true);
        setTimeout(() => router.refresh(), 2000);
      }}
    >
      <input type="hidden" name="returnTo" value={returnTo} />
      <button type="submit" className="btn-primary" title={title} disabled={sent} data-testid="credential-sheet-download">
        {sent ? '正在下载…' : '下载分发表（仅一次）'}
      </button>
    </form>
  );
}

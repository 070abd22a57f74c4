'use client';

import { useEffect, useState } from 'react';

const noticeEvent = 'tmis:notice';

/**
 * Says that an action succeeded where the thing acted on leaves the page (an approved card, a decided
 * request): the message outlives the component that dispatched it.
 */
export function announce(message: string) {
  window.dispatchEvent(new CustomEvent<string>(noticeEvent, { detail: message }));
}

/** One per layout: shows the last announcement for a few seconds, read out by screen readers. */
export function NoticeHost() {
  const [message, setMessage] = useState<string | null>(null);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const show = (event: Event) => {
      setMessage((event as CustomEvent<string>).detail);
      clearTimeout(timer);
      timer = setTimeout(() => setMessage(null), 6000);
    };
    window.addEventListener(noticeEvent, show);
    return () => {
      window.removeEventListener(noticeEvent, show);
      clearTimeout(timer);
    };
  }, []);
  return (
    <div role="status" aria-live="polite" className="pointer-events-none fixed inset-x-0 bottom-4 z-50 flex justify-center px-4" data-testid="notice">
      {message && <p className="pointer-events-auto rounded-md bg-slate-900 px-4 py-2 text-sm text-white shadow-lg">{message}</p>}
    </div>
  );
}

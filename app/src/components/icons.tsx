/** Tiny inline icons (no icon package: keeps the bundle small). All decorative: aria-hidden. */
const base = { width: 16, height: 16, viewBox: '0 0 16 16', 'aria-hidden': true, focusable: false } as const;

export const CopyIcon = () => (
  <svg {...base} fill="none" stroke="currentColor" strokeWidth="1.5">
    <rect x="5.5" y="5.5" width="8" height="8" rx="1" />
    <path d="M3.5 10.5h-1a1 1 0 0 1-1-1v-7a1 1 0 0 1 1-1h7a1 1 0 0 1 1 1v1" />
  </svg>
);

export const ThumbUpIcon = () => (
  <svg {...base} fill="none" stroke="currentColor" strokeWidth="1.4" strokeLinejoin="round">
    <path d="M4.5 7v7h-3V7h3zM4.5 7l3-5.5c1 0 1.8.8 1.6 1.9L8.6 6h4.2c.9 0 1.5.8 1.3 1.6l-1.2 5.3c-.2.7-.8 1.1-1.5 1.1H4.5" />
  </svg>
);

export const ThumbDownIcon = () => (
  <svg {...base} fill="none" stroke="currentColor" strokeWidth="1.4" strokeLinejoin="round" style={{ transform: 'rotate(180deg)' }}>
    <path d="M4.5 7v7h-3V7h3zM4.5 7l3-5.5c1 0 1.8.8 1.6 1.9L8.6 6h4.2c.9 0 1.5.8 1.3 1.6l-1.2 5.3c-.2.7-.8 1.1-1.5 1.1H4.5" />
  </svg>
);

export const CrossIcon = () => (
  <svg {...base} width={12} height={12} fill="none" stroke="currentColor" strokeWidth="2">
    <path d="M3 3l10 10M13 3L3 13" />
  </svg>
);

export const CheckIcon = () => (
  <svg {...base} width={12} height={12} fill="none" stroke="currentColor" strokeWidth="2">
    <path d="M2 8.5l4 4 8-9" />
  </svg>
);

/**
 * Tickets the sandbox starts with, so an update to an existing ticket works out of the box: 35436 is the
 * ticket the sample handoff points at (`"ticket": { "id": 35436 }`).
 */
import type { SandboxTicketSeed } from './types.ts';

export const SEED_TICKETS: readonly SandboxTicketSeed[] = [
  {
    id: 35436,
    subject: 'Order still shows as active after I cancelled',
    requester: { name: 'Sarah Johnson', email: 'sarah@example.com' },
    comment: 'Hi, I phoned last week to cancel order #A-10293 but the app still shows it as active. Can you check?',
    status: 'open',
    priority: 'normal',
    tags: ['web_chat', 'orders'],
    created_at: '2026-11-20T10:31:12Z',
  },
  {
    id: 35437,
    subject: 'Charged twice for my November invoice',
    requester: { name: 'Marcus Lee', email: 'marcus.lee@example.org' },
    comment: 'My card was charged twice (2 × $49.00) for invoice INV-2026-1107. Please refund one of them.',
    status: 'new',
    priority: null,
    tags: ['billing'],
    created_at: '2026-11-19T16:04:51Z',
  },
  {
    id: 35438,
    subject: "Can't log in after resetting my password",
    requester: { name: 'Priya Natarajan', email: 'priya.n@example.net' },
    comment: 'I reset my password twice and the login page still says "invalid credentials". Error code AUTH-401-7.',
    status: 'pending',
    priority: 'high',
    group_id: 360002,
    tags: ['account_security'],
    created_at: '2026-11-18T08:47:30Z',
  },
  {
    id: 35439,
    subject: 'Where is my package?',
    requester: { name: 'Tomás Becker', email: 'tomas.becker@example.com' },
    comment: 'Tracking number 1Z999AA10123456784 has not moved for five days.',
    status: 'open',
    priority: 'low',
    tags: ['shipping'],
    created_at: '2026-11-17T13:22:09Z',
  },
  {
    id: 35440,
    subject: 'API requests failing with ERR_AUTH_4031',
    requester: { name: 'Priya Natarajan', email: 'priya.n@bigcorp.example' },
    comment: 'Since about 16:30 UTC every call to /v2/orders returns ERR_AUTH_4031. We launch tomorrow.',
    status: 'new',
    priority: 'high',
    tags: ['api', 'enterprise'],
    created_at: '2026-11-20T16:38:02Z',
  },
];

/** The agent the API credentials belong to; author of API comments. */
export const SANDBOX_AGENT = { id: 1001, name: 'Baton (API)', role: 'admin' as const };
export const FIRST_REQUESTER_ID = 60001;
export const FIRST_CREATED_TICKET_ID = 40001;

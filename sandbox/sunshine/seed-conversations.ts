/** Seeded conversations: a customer the bot could not help, who asks for a person (sandbox mode, the demo, tests). */
import type { ConversationSeed } from './types.ts';

export const SEED_APP_ID = '5e4af71a81966cfff3ef6550';
export const SEED_CONVERSATION_ID = 'c0ffee0000000000000000a1';

export const SEED_CONVERSATIONS: readonly ConversationSeed[] = [
  {
    id: SEED_CONVERSATION_ID,
    user: { id: '5e4af71a81966cfff3ef0001', givenName: 'Dana', surname: 'Whitfield', email: 'dana.whitfield@example.com', externalId: 'cust-8812', locale: 'en-US' },
    channel: 'web',
    messages: [
      { from: 'user', text: 'Hi, I was charged twice for order #A-20931 this morning.' },
      { from: 'bot', text: 'Sorry about that! Duplicate charges usually drop off within 3-5 business days. Here is our guide:', links: [{ text: 'Why do I see two charges?', uri: 'https://help.example.com/articles/duplicate-charges' }] },
      { from: 'user', text: 'It is not a pending hold, both charges of $84.20 have posted. I checked my bank app.' },
      { from: 'bot', text: 'I can help you check your order status. Please enter your order number.' },
      { from: 'user', text: 'I already gave you the order number!! I want to talk to a real person please.' },
      { from: 'bot', text: 'Connecting you with an agent now.' },
    ],
  },
];

/**
 * Bot Framework / Copilot Studio do not sign what a bot forwards to a third party: `Authorization: Bearer
 * <tenants[].bots.botFramework.token>` or `Baton-Signature`. (Channel-to-bot JWTs from the Bot Connector are for
 * the bot's own endpoint, not for Baton.)
 */
import { verifySignatureOrBearer } from '../token-auth.ts';

export const verifyBotFramework = verifySignatureOrBearer;

/**
 * Dialogflow CX cannot sign a webhook call; it can send static headers (and Google ID tokens, not checked here).
 * Baton accepts `Authorization: Bearer <tenants[].bots.dialogflowCx.token>` or a `Baton-Signature` from a proxy.
 */
import { verifySignatureOrBearer } from '../token-auth.ts';

export const verifyDialogflowCx = verifySignatureOrBearer;

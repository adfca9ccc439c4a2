/** Rasa's custom action sends `Authorization: Bearer <tenants[].bots.rasa.token>` or signs with `Baton-Signature`. */
import { verifySignatureOrBearer } from '../token-auth.ts';

export const verifyRasa = verifySignatureOrBearer;

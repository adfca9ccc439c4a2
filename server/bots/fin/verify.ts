/** The relay of Fin Agent API events sends `Authorization: Bearer <tenants[].bots.fin.token>` or signs with `Baton-Signature`. */
import { verifySignatureOrBearer } from '../token-auth.ts';

export const verifyFin = verifySignatureOrBearer;

// The npm republish of Zendesk's official SDK (CommonJS). Imported lazily by load-sdk.ts only.
import ZAFClient from 'zendesk_app_framework_sdk';
import type { ZafSdk } from './types.ts';

export default ZAFClient as unknown as ZafSdk;

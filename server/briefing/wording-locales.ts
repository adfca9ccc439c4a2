/**
 * The briefing's wording in the locales other than English (see wording.ts). A key left out here comes
 * from the next locale of the chain, finally English.
 */
import type { PartialWording } from './wording.ts';

export const LOCALE_WORDING: Readonly<Record<string, PartialWording>> = {};

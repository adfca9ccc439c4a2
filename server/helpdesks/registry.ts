/**
 * The registered helpdesks, in order (the order picks a tenant's default helpdesk when it connects several
 * and names no `defaultHelpdesk`). The one place outside `helpdesks/<name>/` that imports a module.
 */
import type { HelpdeskModule } from './helpdesk-module.ts';
import zendesk from './zendesk/index.ts';
import intercom from './intercom/index.ts';

const MODULES: readonly HelpdeskModule[] = [zendesk as HelpdeskModule, intercom as HelpdeskModule];

export function helpdeskModules(): readonly HelpdeskModule[] {
  return MODULES;
}

export function helpdeskModule(name: string): HelpdeskModule | undefined {
  return MODULES.find((m) => m.name === name);
}

export function helpdeskNames(): string[] {
  return MODULES.map((m) => m.name);
}

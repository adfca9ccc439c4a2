/**
 * Tag name → id for one Intercom workspace, cached: a conversation tag is attached by id
 * (`POST /conversations/{id}/tags` `{ id, admin_id }`), and a tag must exist first. The first use lists the
 * workspace's tags (`GET /tags`); a name still missing is created (`POST /tags` `{ name }`, which Intercom
 * documents as "create or update": the same name twice gives the same tag, so a crash between create and
 * attach is harmless). Ids are kept per workspace for CACHE_TTL_MS; `forget` drops them when Intercom
 * no longer knows an id (someone deleted the tag).
 */
import type { AxiosInstance } from 'axios';

export const TAG_CACHE_TTL_MS = 10 * 60 * 1000;

interface TagObject {
  type?: string;
  id?: string | number;
  name?: string;
}

interface WorkspaceTags {
  ids: Map<string, string>;
  listedAt: number;
}

const workspaces = new Map<string, WorkspaceTags>();

const key = (name: string): string => name.toLowerCase();

export class TagDirectory {
  constructor(
    /** Identifies the workspace: the account key plus the base URL (two sandboxes in one test run differ). */
    private readonly workspace: string,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Ids of `names` (same order), listing and creating as needed. */
  async ids(client: AxiosInstance, names: readonly string[]): Promise<string[]> {
    const ws = await this.listed(client);
    const out: string[] = [];
    for (const name of names) {
      let id = ws.ids.get(key(name));
      if (id === undefined) {
        const res = await client.post<TagObject>('/tags', { name });
        if (res.data?.id === undefined || res.data.id === null) throw new Error(`POST /tags answered no id for "${name}"`);
        id = String(res.data.id);
        ws.ids.set(key(name), id);
      }
      out.push(id);
    }
    return out;
  }

  /** Drops the cached ids, e.g. after Intercom answered that a cached tag id does not exist. */
  forget(): void {
    workspaces.delete(this.workspace);
  }

  private async listed(client: AxiosInstance): Promise<WorkspaceTags> {
    const cached = workspaces.get(this.workspace);
    if (cached && this.clock() - cached.listedAt < TAG_CACHE_TTL_MS) return cached;
    const res = await client.get<{ data?: TagObject[] }>('/tags');
    const ids = new Map<string, string>();
    for (const t of res.data?.data ?? []) if (t && typeof t.name === 'string' && t.id !== undefined && t.id !== null) ids.set(key(t.name), String(t.id));
    const ws = { ids, listedAt: this.clock() };
    workspaces.set(this.workspace, ws);
    return ws;
  }
}

import { useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import type { CertificationTypeItem } from '../../../src/contracts/person.js';
import type { PositionItem, UnitItem } from '../../../src/contracts/unit.js';
import { api } from './api-client.js';

export type Unit = UnitItem;
export type Position = z.infer<typeof PositionItem>;

export type UnitNode = Unit & { children: UnitNode[] };

/** The API returns units flat (ordered by path); the console needs them as a tree. */
export function buildUnitTree(units: Unit[]): UnitNode[] {
  const byId = new Map<string, UnitNode>();
  for (const u of units) byId.set(u.id, { ...u, children: [] });
  const roots: UnitNode[] = [];
  for (const node of byId.values()) {
    const parent = node.parentId ? byId.get(node.parentId) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  const sort = (nodes: UnitNode[]) => {
    nodes.sort((a, b) => a.path.localeCompare(b.path));
    nodes.forEach((n) => sort(n.children));
  };
  sort(roots);
  return roots;
}

export function useUnits(enabled = true) {
  return useQuery({
    queryKey: ['units'],
    queryFn: () => api.get<{ items: Unit[] }>('/units').then((r) => r.items),
    staleTime: 60_000,
    enabled,
  });
}

export function usePositions(enabled = true) {
  return useQuery({
    queryKey: ['positions'],
    queryFn: () => api.get<{ items: Position[] }>('/positions').then((r) => r.items),
    staleTime: 60_000,
    enabled,
  });
}

/** Certificate types in use, with the valid holders the user may see; refreshed when a certificate is added. */
export function useCertificationTypes(enabled = true) {
  return useQuery({
    queryKey: ['certification-types'],
    queryFn: () => api.get<{ items: CertificationTypeItem[] }>('/certification-types').then((r) => r.items),
    staleTime: 60_000,
    enabled,
  });
}

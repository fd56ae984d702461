import { describe, expect, it } from 'vitest';
import { generateMobilisation } from './generate-instances.js';
import { proposeStaffing } from './propose-staffing.js';

describe('proposeStaffing', () => {
  it('best-K pruning gives the same optimum as every eligible pair', () => {
    for (const seed of [1, 2, 3]) {
      const { roster, incident } = generateMobilisation({ people: 800, roles: 60, seed });
      // scarce frontline so echelons matter
      roster.echelon.forEach((_, i) => (roster.echelon[i] = i % 10 === 0 ? 0 : i % 3 === 0 ? 1 : 2));
      const pruned = proposeStaffing(roster, incident);
      const full = proposeStaffing(roster, incident, { pruning: 'none' });
      // combined values differ (weights follow each instance's ranges); the levels must not
      const { filled, levels, score } = full.objective;
      expect(pruned.objective).toMatchObject({ filled, levels, score });
      expect(pruned.pruning.keptPairs).toBeLessThanOrEqual(full.pruning.keptPairs);
    }
  });

  it('explains roles nobody can fill by the binding funnel stage', () => {
    const { roster, incident } = generateMobilisation({ people: 300, roles: 20, seed: 5 });
    // nobody holds legal affairs (specialty 6) any more
    roster.specialties.forEach((m, i) => (roster.specialties[i] = m & ~(1 << 6) || 1));
    incident.roles.push({ id: 'legal', site: 0, specialty: 6, count: 2 });
    // and everybody with plant quarantine is on leave
    roster.specialties.forEach((m, i) => m & 2 && (roster.onLeave[i] = 1));
    incident.roles.push({ id: 'plant', site: 1, specialty: 1, count: 1 });
    const p = proposeStaffing(roster, incident);
    const legal = p.slots.find((s) => s.slotId === 'legal')!;
    expect(legal.unfilled).toMatchObject({ code: 'no-candidates', stage: { reason: 'specialty', remaining: 0 } });
    const plant = p.slots.find((s) => s.slotId === 'plant')!;
    expect(plant.unfilled).toMatchObject({ code: 'no-candidates', stage: { reason: 'on-leave', remaining: 0 } });
    const filled = p.slots.find((s) => s.filled > 0)!;
    expect(filled.assigned[0]!.parts.map((x) => x.name)).toEqual(expect.arrayContaining(['skill', 'travel']));
  });
});

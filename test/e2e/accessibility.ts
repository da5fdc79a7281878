// The accessibility bar, checked on each view the tests reach: text contrast that passes
// WCAG AA, and the other WCAG 2 A/AA rules a machine can check (names, labels, roles), by
// axe-core, the engine browsers' own audits use.
import type { Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { expect } from './fixtures';

const WCAG_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** One line per failing node: the rule, what axe says is wrong, and where. */
function describe(violations: Awaited<ReturnType<AxeBuilder['analyze']>>['violations']): string[] {
  return violations.flatMap((v) =>
    v.nodes.map((node) => `${v.id}: ${node.failureSummary?.replace(/\s+/g, ' ')} at ${node.target.join(' ')}`),
  );
}

export async function expectWcagAA(page: Page, view: string): Promise<void> {
  // The remote desktop's canvas is the cluster's pixels, not our text: axe cannot read it anyway.
  const { violations } = await new AxeBuilder({ page }).withTags(WCAG_AA).exclude('canvas').analyze();
  expect(describe(violations), `WCAG 2 AA problems in the ${view} view`).toEqual([]);
}

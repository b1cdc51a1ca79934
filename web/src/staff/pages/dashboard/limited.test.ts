import { describe, expect, it } from "vitest";
import { latestOnly, mapLimited } from "./limited";

describe("a fan-out kept to a few at a time", () => {
  it("never runs more than the limit at once, and answers in the list's order", async () => {
    let running = 0;
    let most = 0;
    const waiting: (() => void)[] = [];
    const done = mapLimited(Array.from({ length: 13 }, (_, i) => i), 4, async (n) => {
      running++;
      most = Math.max(most, running);
      await new Promise<void>((resolve) => waiting.push(resolve));
      running--;
      return n * 2;
    });
    while (waiting.length || running) {
      await Promise.resolve();
      waiting.splice(0).forEach((resolve) => resolve());
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    expect(await done).toEqual(Array.from({ length: 13 }, (_, i) => i * 2));
    expect(most).toBe(4);
  });
});

describe("overlapping loads", () => {
  it("let only the latest write, whichever answers last", async () => {
    const loads = latestOnly();
    let shown = "";
    async function load(value: string, wait: Promise<void>): Promise<void> {
      const current = loads.begin();
      await wait;
      if (current()) shown = value;
    }
    let releaseOld!: () => void;
    const old = load("2026-01", new Promise<void>((resolve) => { releaseOld = resolve; }));
    await load("2026-07", Promise.resolve());
    releaseOld();
    await old;
    expect(shown).toBe("2026-07");
  });
});

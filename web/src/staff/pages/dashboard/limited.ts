// A fan-out kept to a few requests at a time.
/** `work` over `list`, at most `limit` at a time (a fan-out over departments must not send
 * them all at once), the answers in the list's order. */
export async function mapLimited<T, R>(list: readonly T[], limit: number,
                                       work: (one: T) => Promise<R>): Promise<R[]> {
  const answers: R[] = new Array<R>(list.length);
  let next = 0;
  async function worker(): Promise<void> {
    while (next < list.length) {
      const index = next++;
      answers[index] = await work(list[index]!);
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, list.length) }, worker));
  return answers;
}

/** Loads of which only the latest started may write what it read: `begin()` starts one and
 * gives back whether it is still the latest (an older one answering late is dropped). */
export function latestOnly(): { begin: () => () => boolean } {
  let latest = 0;
  return {
    begin() {
      const mine = ++latest;
      return () => mine === latest;
    },
  };
}

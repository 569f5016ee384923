/**
 * slowStartBatch (k8s controller.slowStartBatch): calls `fn` `count` times in batches of
 * growing size (initial, 2x, 4x, ...), each batch in parallel, and stops after the first batch
 * with a failure. So a create that is bound to fail (quota, bad template) fails once or twice,
 * not `count` times. Returns how many calls succeeded and the first error, if any.
 */
export async function slowStartBatch(count: number, initialBatchSize: number, fn: (i: number) => Promise<void>): Promise<{ successes: number; error?: unknown }> {
  let remaining = count;
  let successes = 0;
  let index = 0;
  for (let batch = Math.min(remaining, initialBatchSize); batch > 0; batch = Math.min(2 * batch, remaining)) {
    const results = await Promise.allSettled(Array.from({ length: batch }, () => fn(index++)));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    successes += results.filter((r) => r.status === 'fulfilled').length;
    if (failed) return { successes, error: failed.reason };
    remaining -= batch;
  }
  return { successes };
}

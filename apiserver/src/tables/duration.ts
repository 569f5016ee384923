/**
 * Ages the way kubectl prints them (apimachinery's HumanDuration): exact seconds below two
 * minutes, then minutes(+seconds) below ten minutes, minutes below three hours, and so on
 * up to years. `translateTimestampSince` turns an RFC 3339 timestamp into such an age.
 */

import { humanDuration } from '@mk8s/shared';

export { humanDuration };

/** `<unknown>` for a missing or unparsable timestamp, else the age at `now`. */
export function translateTimestampSince(timestamp: string | null | undefined, now: Date): string {
  if (!timestamp) return '<unknown>';
  const t = Date.parse(timestamp);
  if (Number.isNaN(t)) return '<unknown>';
  return humanDuration(now.getTime() - t);
}

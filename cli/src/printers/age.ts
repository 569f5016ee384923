/** kubectl's HumanDuration, the AGE format (shared with the apiserver's Tables). */
export { humanDuration } from '@mk8s/shared';

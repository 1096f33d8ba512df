// What the app's updater is doing, as the renderer shows it (Settings ▸ Updates and the "Update ready" notice).
import { z } from 'zod';

export const UpdateChannel = z.enum(['stable', 'beta']);
export type UpdateChannel = z.infer<typeof UpdateChannel>;

export const UpdateStatus = z.discriminatedUnion('state', [
  /** The user turned updates off, or this host has no updater (the web host, an unpackaged build): `reason` says which. */
  z.object({ state: z.literal('off'), reason: z.string() }),
  z.object({ state: z.literal('idle'), checkedAt: z.number().nullable(), note: z.string().nullable() }),
  z.object({ state: z.literal('checking') }),
  z.object({ state: z.literal('downloading'), version: z.string(), percent: z.number().min(0).max(100) }),
  /** Downloaded and verified; it installs when the app quits, unless `blockedBy` names what would be cut short. */
  z.object({ state: z.literal('ready'), version: z.string(), notes: z.string().nullable(), blockedBy: z.array(z.string()) }),
  z.object({ state: z.literal('error'), message: z.string(), checkedAt: z.number() }),
]);
export type UpdateStatus = z.infer<typeof UpdateStatus>;

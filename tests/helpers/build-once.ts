import { buildNodeBundles } from '../../scripts/build.mjs';

/** Integration tests fork the real worker bundle: build it from the current sources first. */
export default async function setup(): Promise<void> {
  await buildNodeBundles();
}

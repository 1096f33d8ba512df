import { useEffect, type RefObject } from 'react';

/** While `open`, a press outside every one of `inside` closes it (menus, popovers). */
export function useDismissOutside(open: boolean, inside: ReadonlyArray<RefObject<HTMLElement | null>>, close: () => void): void {
  useEffect(() => {
    if (!open) return;
    const onPointer = (event: PointerEvent): void => {
      const target = event.target as Node;
      if (!inside.some((ref) => ref.current?.contains(target))) close();
    };
    document.addEventListener('pointerdown', onPointer);
    return () => document.removeEventListener('pointerdown', onPointer);
    // `inside` holds refs, stable across renders.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open, close]);
}

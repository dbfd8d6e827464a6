package io.sluice.sandbox;

/**
 * One step of the Deployment controller's RollingUpdate strategy with its defaults (maxSurge 25%,
 * rounded up; maxUnavailable 25%, rounded down; never both zero): how many pods of the new template
 * to create and how many old ones to remove, given what runs now. Old pods stay while the new ones
 * are not ready, so a rollout whose new pods fail leaves the old ones serving — as on a real
 * cluster. Pure, so each rule is tested on its own.
 */
record RollingUpdate(int create, int removeOldUnready, int removeOldReady, int removeNew) {

  /**
   * @param desired the Deployment's replicas
   * @param newPods pods of the current template (not terminated)
   * @param newReady those of them ready
   * @param oldPods pods of earlier templates (not terminated)
   * @param oldReady those of them ready
   */
  static RollingUpdate step(int desired, int newPods, int newReady, int oldPods, int oldReady) {
    int surge = (int) Math.ceil(desired * 0.25);
    int unavailable = (int) Math.floor(desired * 0.25);
    if (surge == 0 && unavailable == 0) {
      surge = 1;
    }
    int removeNew = Math.max(0, newPods - desired);
    int keptNew = newPods - removeNew;
    int create = Math.max(0, Math.min(desired - keptNew, desired + surge - keptNew - oldPods));
    // Old pods that are not ready serve nobody: they go first, and at once.
    int removeOldUnready = oldPods - oldReady;
    // Ready old pods go only as far as the ready total stays at desired - maxUnavailable.
    int minReady = desired - unavailable;
    int readyNow = Math.min(newReady, keptNew) + oldReady;
    int removeOldReady = Math.max(0, Math.min(oldReady, readyNow - minReady));
    if (Math.min(newReady, keptNew) >= desired) {
      removeOldReady = oldReady;
    }
    return new RollingUpdate(create, removeOldUnready, removeOldReady, removeNew);
  }
}

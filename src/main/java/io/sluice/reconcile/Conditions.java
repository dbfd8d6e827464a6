package io.sluice.reconcile;

import io.sluice.job.Condition;
import io.sluice.job.SpecCodec;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/** Updates a job's conditions; a condition's transition time moves only when its status flips. */
final class Conditions {
  private Conditions() {}

  static final String APPLIED = "Applied";

  /** True while the job's engine operator (its CRD) is missing from the cluster. */
  static final String OPERATOR_MISSING = "OperatorMissing";

  /** Turns a condition False, if the job has it at all. */
  static String resolve(String existingJson, String type, String reason, String message) {
    boolean present =
        SpecCodec.conditions(existingJson).stream().anyMatch(c -> c.type().equals(type));
    return present ? set(existingJson, type, "False", reason, message) : existingJson;
  }

  static String applied(String existingJson, boolean ok, String reason, String message) {
    return set(existingJson, APPLIED, ok ? "True" : "False", reason, message);
  }

  static String set(
      String existingJson, String type, String status, String reason, String message) {
    List<Condition> conditions = new ArrayList<>(SpecCodec.conditions(existingJson));
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS);
    OffsetDateTime since = now;
    for (int i = 0; i < conditions.size(); i++) {
      Condition c = conditions.get(i);
      if (c.type().equals(type)) {
        if (c.status().equals(status) && c.lastTransitionTime() != null) {
          since = c.lastTransitionTime();
        }
        conditions.remove(i);
        break;
      }
    }
    conditions.add(new Condition(type, status, reason, message, since));
    conditions.sort(java.util.Comparator.comparing(Condition::type));
    return SpecCodec.toJson(conditions);
  }
}

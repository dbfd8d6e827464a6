package io.sluice.api;

import java.util.List;

/**
 * The one exception type the services throw for a request they refuse. It carries a {@link Reason}
 * and is turned into {@code application/problem+json} in one place ({@link ProblemMapper}).
 */
public class SluiceException extends RuntimeException {
  private final Reason reason;
  private final List<FieldError> errors;

  public SluiceException(Reason reason, String detail) {
    this(reason, detail, List.of());
  }

  public SluiceException(Reason reason, String detail, List<FieldError> errors) {
    super(detail);
    this.reason = reason;
    this.errors = List.copyOf(errors);
  }

  public Reason reason() {
    return reason;
  }

  public List<FieldError> errors() {
    return errors;
  }

  public static SluiceException jobNotFound(String namespace, String name) {
    return new SluiceException(
        Reason.JOB_NOT_FOUND, "Job '" + name + "' not found in namespace '" + namespace + "'");
  }

  public static SluiceException invalid(List<FieldError> errors) {
    return new SluiceException(
        Reason.VALIDATION_FAILED,
        errors.size() == 1
            ? errors.get(0).field() + ": " + errors.get(0).message()
            : errors.size() + " fields are invalid",
        errors);
  }

  public static SluiceException invalid(String field, String message) {
    return invalid(List.of(new FieldError(field, message)));
  }

  public static SluiceException badParameter(String parameter, String message) {
    return new SluiceException(
        Reason.INVALID_PARAMETER,
        parameter + ": " + message,
        List.of(new FieldError(parameter, message)));
  }
}

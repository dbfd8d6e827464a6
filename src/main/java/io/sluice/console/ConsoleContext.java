package io.sluice.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import io.sluice.api.Reason;
import io.sluice.api.SluiceException;
import io.sluice.security.Caller;
import io.sluice.security.Grant;
import io.sluice.security.Role;
import io.sluice.security.SessionIdentityProvider;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;

/**
 * What every console page needs from the request: who is signed in, what they may do (a viewer sees
 * no write control; the server refuses anyway), the session's CSRF token for its forms, and API
 * records as plain maps for the templates (the same JSON names and formats as the API).
 */
@ApplicationScoped
public class ConsoleContext {
  private final Instance<SecurityIdentity> identity;
  private final Caller caller;
  private final ObjectMapper mapper;

  public ConsoleContext(Instance<SecurityIdentity> identity, Caller caller, ObjectMapper mapper) {
    this.identity = identity;
    this.caller = caller;
    this.mapper = mapper;
  }

  /** The page with what the layout shows: the user, the role, write rights and the CSRF token. */
  public TemplateInstance page(TemplateInstance page, String namespace) {
    Grant grant = caller.grant();
    return page.data("user", grant.displayName())
        .data("role", grant.role().value())
        .data("canWrite", grant.role().includes(Role.OPERATOR))
        .data("csrf", csrf())
        .data("namespace", namespace);
  }

  /** Refuses a form whose CSRF token is not this session's (a forged cross-site post). */
  public void checkCsrf(String sent) {
    String expected = csrf();
    if (expected == null
        || sent == null
        || !MessageDigest.isEqual(
            expected.getBytes(StandardCharsets.UTF_8), sent.getBytes(StandardCharsets.UTF_8))) {
      throw new SluiceException(
          Reason.FORBIDDEN,
          "This form was not sent from this console session (missing or wrong CSRF token);"
              + " reload the page and try again");
    }
  }

  public String csrf() {
    return SessionIdentityProvider.csrfOf(identity.get());
  }

  /** An API record as the API writes it, for a template. */
  @SuppressWarnings("unchecked")
  public Map<String, Object> json(Object record) {
    return record == null ? null : mapper.convertValue(record, Map.class);
  }

  public List<Map<String, Object>> json(List<?> records) {
    return records.stream().map(this::json).toList();
  }
}

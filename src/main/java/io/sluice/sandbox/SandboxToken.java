package io.sluice.sandbox;

import io.quarkus.runtime.StartupEvent;
import io.sluice.config.SluiceConfig;
import io.sluice.security.ApiTokens;
import io.sluice.security.Role;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.jboss.logging.Logger;

/**
 * Keeps the first five minutes easy without anonymous access: in sandbox mode Sluice makes an
 * operator token, keeps it in the data directory (owner-only) and prints it.
 */
@ApplicationScoped
public class SandboxToken {
  static final String NAME = "sandbox";
  private static final Logger LOG = Logger.getLogger(SandboxToken.class);

  private final SluiceConfig config;
  private final ApiTokens tokens;
  private volatile String token;

  public SandboxToken(SluiceConfig config, ApiTokens tokens) {
    this.config = config;
    this.tokens = tokens;
  }

  void start(@Observes @Priority(60) StartupEvent event) {
    if (!config.sandbox().enabled()) {
      return;
    }
    Path file = Path.of(config.sandbox().dataDir(), "token");
    String token = config.sandbox().token().orElseGet(() -> readOrCreate(file));
    tokens.ensure(NAME, token, Role.OPERATOR);
    this.token = token;
    LOG.infof(
        "Sandbox operator token (kept in %s):%n%n    export SLUICE_TOKEN=%s%n",
        config.sandbox().token().isPresent() ? "configuration" : file, token);
  }

  /**
   * The sandbox's operator token, once made (empty outside sandbox mode): the console offers it.
   */
  public java.util.Optional<String> token() {
    return java.util.Optional.ofNullable(token);
  }

  private static String readOrCreate(Path file) {
    try {
      if (Files.exists(file)) {
        String token = Files.readString(file, StandardCharsets.UTF_8).trim();
        if (ApiTokens.looksLikeToken(token)) {
          return token;
        }
      }
      Files.createDirectories(file.getParent());
      String token = ApiTokens.PREFIX + ApiTokens.random();
      Files.writeString(file, token + "\n", StandardCharsets.UTF_8);
      try {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException e) {
        // not a POSIX file system (Windows): the directory's own permissions apply
      }
      return token;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot keep the sandbox token in " + file, e);
    }
  }
}

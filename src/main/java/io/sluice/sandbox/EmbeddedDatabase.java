package io.sluice.sandbox;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.jboss.logging.Logger;
import org.tukaani.xz.XZInputStream;

/**
 * A real PostgreSQL server run from the binaries bundled in a Maven artifact (zonky), for the
 * sandbox and the test suite: nothing to install. PostgreSQL refuses to run as root, which is how
 * CI and many containers run, so when the JVM is root the server is started as {@code nobody}
 * through small wrapper scripts around {@code initdb} and {@code pg_ctl}.
 */
public final class EmbeddedDatabase implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(EmbeddedDatabase.class);
  private static final String NOBODY = "65534";

  private final EmbeddedPostgres postgres;
  private final Path dataDirectory;

  private EmbeddedDatabase(EmbeddedPostgres postgres, Path dataDirectory) {
    this.postgres = postgres;
    this.dataDirectory = dataDirectory;
  }

  /**
   * Starts a server whose data lives in {@code dataDirectory} on {@code port} (0 = any free port).
   * The data directory is kept when the server stops, so starting again on it resumes. {@code
   * durable} turns fsync on (the sandbox) or off (tests, where speed matters more).
   */
  public static EmbeddedDatabase start(Path dataDirectory, int port, boolean durable) {
    try {
      Files.createDirectories(dataDirectory);
      EmbeddedPostgres.Builder builder =
          EmbeddedPostgres.builder()
              .setDataDirectory(dataDirectory)
              .setCleanDataDirectory(false)
              .setPort(port)
              .setPGStartupWait(Duration.ofSeconds(60))
              .setServerConfig("max_connections", "300")
              .setServerConfig("fsync", durable ? "on" : "off")
              .setServerConfig("synchronous_commit", durable ? "on" : "off")
              .setServerConfig("full_page_writes", durable ? "on" : "off");
      if (isRoot()) {
        builder.setOverrideWorkingDirectory(prepareRootBinaries().toFile());
      }
      EmbeddedPostgres postgres = builder.start();
      LOG.infof(
          "Embedded PostgreSQL listening on localhost:%d, data in %s",
          postgres.getPort(), dataDirectory);
      return new EmbeddedDatabase(postgres, dataDirectory);
    } catch (IOException e) {
      throw new UncheckedIOException("Embedded PostgreSQL did not start in " + dataDirectory, e);
    }
  }

  public int port() {
    return postgres.getPort();
  }

  public String jdbcUrl(String database) {
    return "jdbc:postgresql://localhost:" + port() + "/" + database;
  }

  public Path dataDirectory() {
    return dataDirectory;
  }

  @Override
  public void close() {
    try {
      postgres.close();
    } catch (IOException e) {
      LOG.warn("Embedded PostgreSQL did not stop cleanly", e);
    }
  }

  static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  /**
   * Unpacks the bundled binaries into a directory of our own, world-readable, with {@code initdb}
   * and {@code pg_ctl} replaced by scripts that drop to {@code nobody}. Zonky finds the directory
   * already unpacked (same archive digest) and uses it as is.
   */
  private static synchronized Path prepareRootBinaries() throws IOException {
    Path root = Path.of(System.getProperty("java.io.tmpdir"), "sluice-embedded-pg");
    byte[] archive;
    try (InputStream in = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary("Linux", arch())) {
      archive = in.readAllBytes();
    }
    Path pgDir = root.resolve("PG-" + md5(archive));
    if (Files.exists(pgDir.resolve(".exists"))) {
      return root;
    }
    Path staging = Files.createTempDirectory(root.getParent(), "sluice-pg-unpack");
    unpack(archive, staging);
    for (String tool : new String[] {"initdb", "pg_ctl"}) {
      Path bin = staging.resolve("bin");
      Files.move(bin.resolve(tool), bin.resolve(tool + ".real"));
      Path wrapper = bin.resolve(tool);
      Files.writeString(wrapper, wrapperScript(tool));
      Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    Files.createFile(staging.resolve(".exists"));
    Files.createDirectories(root);
    Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
    try {
      Files.move(staging, pgDir, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException raced) {
      if (!Files.exists(pgDir.resolve(".exists"))) {
        throw raced;
      }
    }
    return root;
  }

  private static String wrapperScript(String tool) {
    return """
        #!/bin/sh
        # Written by Sluice: PostgreSQL will not run as root, so run %1$s as nobody.
        here=$(dirname "$0")
        if [ "$(id -u)" = 0 ]; then
          data=""; prev=""
          for arg in "$@"; do
            if [ "$prev" = "-D" ]; then data="$arg"; fi
            prev="$arg"
          done
          if [ -n "$data" ]; then chown -R %2$s:%2$s "$data" && chmod 700 "$data"; fi
          exec setpriv --reuid=%2$s --regid=%2$s --clear-groups "$here/%1$s.real" "$@"
        fi
        exec "$here/%1$s.real" "$@"
        """
        .formatted(tool, NOBODY);
  }

  private static void unpack(byte[] archive, Path target) throws IOException {
    try (TarArchiveInputStream tar =
        new TarArchiveInputStream(new XZInputStream(new java.io.ByteArrayInputStream(archive)))) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        Path path = target.resolve(entry.getName()).normalize();
        if (!path.startsWith(target)) {
          throw new IOException("archive entry outside target: " + entry.getName());
        }
        if (entry.isDirectory()) {
          Files.createDirectories(path);
        } else if (entry.isSymbolicLink()) {
          Files.createDirectories(path.getParent());
          Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
        } else {
          Files.createDirectories(path.getParent());
          Files.copy(tar, path);
          boolean executable = entry.getName().replaceFirst("^\\./", "").startsWith("bin/");
          Files.setPosixFilePermissions(
              path, PosixFilePermissions.fromString(executable ? "rwxr-xr-x" : "rw-r--r--"));
        }
      }
    }
    try (var walk = Files.walk(target)) {
      for (Path dir : walk.filter(Files::isDirectory).toList()) {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
      }
    }
  }

  private static String arch() {
    String arch = System.getProperty("os.arch");
    return "amd64".equals(arch) ? "x86_64" : arch;
  }

  private static String md5(byte[] data) throws IOException {
    try (DigestInputStream in =
        new DigestInputStream(
            new java.io.ByteArrayInputStream(data), MessageDigest.getInstance("MD5"))) {
      in.readAllBytes();
      return HexFormat.of().formatHex(in.getMessageDigest().digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IOException(e);
    }
  }
}

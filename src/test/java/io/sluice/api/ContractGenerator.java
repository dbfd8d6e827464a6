package io.sluice.api;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.openapi.api.SmallRyeOpenAPI;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.Config;
import org.jboss.jandex.Index;
import org.jboss.jandex.Indexer;

/**
 * Generates the contract from what the code says: the MicroProfile OpenAPI annotations on the
 * compiled classes, the document-wide settings below and {@link ContractFilters}. It runs SmallRye
 * OpenAPI, the engine Quarkus' OpenAPI extension runs at build time, set up as that extension set
 * it up for Quarkus REST, so the output is the document the extension served.
 */
final class ContractGenerator {
  /** The document-wide settings (MicroProfile OpenAPI and SmallRye keys). */
  private static final Map<String, String> SETTINGS =
      Map.ofEntries(
          Map.entry("mp.openapi.extensions.smallrye.openapi", "3.0.3"),
          Map.entry("mp.openapi.extensions.smallrye.info.title", "Sluice API"),
          Map.entry("mp.openapi.extensions.smallrye.info.version", "1.0.0"),
          Map.entry(
              "mp.openapi.extensions.smallrye.info.description",
              "Data-pipeline control plane for Kubernetes: ingestion, processing and storage jobs."
                  + " Errors are RFC 9457 problem documents (application/problem+json)."),
          Map.entry("mp.openapi.extensions.smallrye.info.contact.name", "Sluice maintainers"),
          Map.entry("mp.openapi.extensions.smallrye.info.contact.url", "https://sluice.io"),
          Map.entry("mp.openapi.extensions.smallrye.info.license.name", "Apache-2.0"),
          Map.entry(
              "mp.openapi.extensions.smallrye.info.license.url",
              "https://www.apache.org/licenses/LICENSE-2.0"),
          // Relative: generated clients talk to whichever host served them the contract.
          Map.entry("mp.openapi.servers", "/"),
          // Media types for operations that declare none, as Quarkus REST answers them.
          Map.entry(
              "mp.openapi.extensions.smallrye.DefaultProducesStreaming",
              "application/octet-stream"),
          Map.entry(
              "mp.openapi.extensions.smallrye.DefaultConsumesStreaming",
              "application/octet-stream"),
          Map.entry("mp.openapi.extensions.smallrye.DefaultProduces", "application/json"),
          Map.entry("mp.openapi.extensions.smallrye.DefaultConsumes", "application/json"),
          Map.entry("mp.openapi.extensions.smallrye.DefaultProducesPrimitives", "text/plain"),
          Map.entry("mp.openapi.extensions.smallrye.DefaultConsumesPrimitives", "text/plain"));

  private static final List<Class<?>> INDEXED_JDK_TYPES =
      List.of(
          Object.class,
          Collection.class,
          Map.class,
          Instant.class,
          OffsetDateTime.class,
          UUID.class);

  private ContractGenerator() {}

  /** The contract as YAML, generated from the classes compiled into {@code classes}. */
  static String yaml(Path classes) {
    ClassLoader loader = ContractGenerator.class.getClassLoader();
    return SmallRyeOpenAPI.builder()
        .withConfig(config())
        .withIndex(index(classes))
        .withApplicationClassLoader(loader)
        .withScannerClassLoader(loader)
        .enableModelReader(true)
        .enableStandardStaticFiles(false)
        .enableAnnotationScan(true)
        .withScannerFilter("JAX-RS"::equals)
        .enableUnannotatedPathParameters(true)
        .enableStandardFilter(false)
        .withFilters(ContractFilters.all())
        .build()
        .toYAML();
  }

  private static Config config() {
    return new SmallRyeConfigBuilder()
        .withSources(new PropertiesConfigSource(SETTINGS, "contract settings", 500))
        .build();
  }

  private static Index index(Path classes) {
    Indexer indexer = new Indexer();
    try (Stream<Path> files = Files.walk(classes)) {
      for (Path file :
          (Iterable<Path>) files.filter(f -> f.toString().endsWith(".class"))::iterator) {
        try (InputStream in = Files.newInputStream(file)) {
          indexer.index(in);
        }
      }
      // JDK types the API's records use: indexed, they become shared schemas ($ref), as Quarkus'
      // index (which holds them) made them.
      for (Class<?> type : INDEXED_JDK_TYPES) {
        indexer.indexClass(type);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot index " + classes, e);
    }
    return indexer.complete();
  }
}

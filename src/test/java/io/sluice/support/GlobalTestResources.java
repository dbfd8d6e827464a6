package io.sluice.support;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;

/** Test resources every @QuarkusTest gets: the embedded PostgreSQL. */
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
public final class GlobalTestResources {
  private GlobalTestResources() {}
}

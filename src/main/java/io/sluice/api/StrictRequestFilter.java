package io.sluice.api;

import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Refuses what an API call could only mean by mistake: a query parameter the operation does not
 * declare ({@code ?sort=}, a misspelt {@code ?limt=}), which would otherwise be ignored silently,
 * and an {@code Idempotency-Key} sent twice, which leaves it unclear which key holds.
 */
public class StrictRequestFilter {
  /** Declared query parameters per resource method; bounded by the number of methods. */
  private static final Map<Method, Set<String>> DECLARED = new ConcurrentHashMap<>();

  @ServerRequestFilter
  public void check(ContainerRequestContext request, ResourceInfo resource) {
    if (!request.getUriInfo().getPath().startsWith("/api/")) {
      return;
    }
    List<String> keys = request.getHeaders().get(Idempotency.HEADER);
    if (keys != null && keys.size() > 1) {
      throw SluiceException.badParameter(
          Idempotency.HEADER, "send it once; this request carries " + keys.size());
    }
    Method method = resource.getResourceMethod();
    if (method == null) {
      return;
    }
    Set<String> declared = DECLARED.computeIfAbsent(method, StrictRequestFilter::queryParams);
    Collection<String> sent = request.getUriInfo().getQueryParameters().keySet();
    for (String name : new TreeSet<>(sent)) {
      if (!declared.contains(name)) {
        throw SluiceException.badParameter(
            name,
            declared.isEmpty()
                ? "unknown query parameter; this operation takes none"
                : "unknown query parameter; this operation takes " + String.join(", ", declared));
      }
    }
  }

  private static Set<String> queryParams(Method method) {
    Set<String> names = new TreeSet<>();
    Class<?>[] types = method.getParameterTypes();
    Annotation[][] all = method.getParameterAnnotations();
    for (int i = 0; i < all.length; i++) {
      for (Annotation a : all[i]) {
        if (a instanceof QueryParam q) {
          names.add(q.value());
        } else if (a instanceof jakarta.ws.rs.BeanParam) {
          // A group of parameters declared once (log options): its fields' names.
          for (java.lang.reflect.Field f : types[i].getDeclaredFields()) {
            QueryParam q = f.getAnnotation(QueryParam.class);
            if (q != null) {
              names.add(q.value());
            }
          }
        }
      }
    }
    return java.util.Collections.unmodifiableSet(names);
  }
}

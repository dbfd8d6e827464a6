package io.sluice.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The API's routes, read once from the resource classes' annotations: which methods a path takes,
 * for the {@code Allow} header of a 405 (Quarkus REST sends none).
 */
@ApplicationScoped
public class Routes {
  private record Route(Pattern path, String method) {}

  private final BeanManager beans;
  private volatile List<Route> routes;

  public Routes(BeanManager beans) {
    this.beans = beans;
  }

  /** The methods {@code path} takes, sorted; empty when no route matches it. */
  public Set<String> allowed(String path) {
    Set<String> methods = new TreeSet<>();
    for (Route route : routes()) {
      if (route.path().matcher(path).matches()) {
        methods.add(route.method());
      }
    }
    return methods;
  }

  private List<Route> routes() {
    if (routes == null) {
      List<Route> found = new ArrayList<>();
      for (Bean<?> bean : beans.getBeans(Object.class, Any.Literal.INSTANCE)) {
        Class<?> type = bean.getBeanClass();
        Path root = type.getAnnotation(Path.class);
        if (root != null) {
          for (Method m : type.getMethods()) {
            String method = httpMethod(m);
            if (method != null) {
              Path sub = m.getAnnotation(Path.class);
              found.add(
                  new Route(pattern(join(root.value(), sub == null ? "" : sub.value())), method));
            }
          }
        }
      }
      routes = List.copyOf(found);
    }
    return routes;
  }

  private static String httpMethod(Method m) {
    for (Annotation a : m.getAnnotations()) {
      HttpMethod http = a.annotationType().getAnnotation(HttpMethod.class);
      if (http != null) {
        return http.value();
      }
    }
    return null;
  }

  private static String join(String a, String b) {
    String path = ("/" + a + "/" + b).replaceAll("/+", "/");
    return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }

  /** A JAX-RS template ({@code /jobs/{name}}) as a pattern over request paths. */
  static Pattern pattern(String template) {
    StringBuilder regex = new StringBuilder();
    for (String part : template.split("(?=\\{)|(?<=\\})")) {
      regex.append(part.startsWith("{") ? "[^/]+" : Pattern.quote(part));
    }
    return Pattern.compile(regex + "/?");
  }
}

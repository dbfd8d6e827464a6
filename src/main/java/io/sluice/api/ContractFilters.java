package io.sluice.api;

import io.sluice.watch.WatchContract;
import java.util.List;
import org.eclipse.microprofile.openapi.OASFilter;

/**
 * What the contract says beyond the resources' annotations, in the order it is applied: the watch
 * on list operations, the problem answers every operation shares, and authentication. The contract
 * is generated from the annotations plus these filters when the build checks {@code
 * openapi/openapi.yaml} (OpenApiContractTest); the running service serves that file as committed
 * ({@link ContractRoute}) and never runs them.
 */
public final class ContractFilters {
  private ContractFilters() {}

  public static List<OASFilter> all() {
    return List.of(new WatchContract(), new CommonResponses(), new SecurityContract());
  }
}

package io.sluice.run;

import io.sluice.api.StreamSlots;
import io.sluice.config.SluiceConfig;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Bounds the followed log streams of this replica, in total and per caller: each one holds a stream
 * from the API server and a connection for as long as the pod runs.
 */
@ApplicationScoped
public class LogStreams extends StreamSlots {
  @jakarta.inject.Inject
  public LogStreams(SluiceConfig config) {
    this(config.logs().maxFollowStreams(), config.logs().maxFollowStreamsPerCaller());
  }

  LogStreams(int total, int perCaller) {
    super(total, perCaller, "followed log streams");
  }
}

package io.sluice.watch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.sluice.job.JobService;
import io.sluice.pipeline.PipelineRunService;
import io.sluice.run.RunService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Turns changes into the events a watch sends: each change's resource as the API shows it now (read
 * in one batch per kind), as compact JSON. A change whose resource is gone is dropped.
 */
@ApplicationScoped
public class WatchObjects {
  private final JobService jobs;
  private final RunService runs;
  private final PipelineRunService pipelineRuns;
  private final ObjectWriter json;

  public WatchObjects(
      JobService jobs, RunService runs, PipelineRunService pipelineRuns, ObjectMapper mapper) {
    this.jobs = jobs;
    this.runs = runs;
    this.pipelineRuns = pipelineRuns;
    this.json = mapper.writer().without(SerializationFeature.INDENT_OUTPUT);
  }

  /** The event data of each change, by change id, in the changes' order. */
  @ActivateRequestContext
  @Transactional
  public Map<Long, String> events(List<Change> changes) {
    Map<Change.Kind, List<UUID>> ids = new HashMap<>();
    for (Change c : changes) {
      ids.computeIfAbsent(c.kind(), k -> new ArrayList<>()).add(c.objectId());
    }
    Map<UUID, ?> jobObjects = jobs.byIds(ids.getOrDefault(Change.Kind.JOB, List.of()));
    Map<UUID, ?> runObjects = runs.byIds(ids.getOrDefault(Change.Kind.RUN, List.of()));
    Map<Long, String> events = new LinkedHashMap<>();
    for (Change c : changes) {
      Object object =
          switch (c.kind()) {
            case JOB -> jobObjects.get(c.objectId());
            case RUN -> runObjects.get(c.objectId());
            case PIPELINE_RUN -> pipelineRuns.byNumber(c.parentId(), c.number()).orElse(null);
          };
      if (object != null) {
        events.put(c.id(), event(c.type(), Long.toString(c.id()), object));
      }
    }
    return events;
  }

  /** Runs {@code read} (a service's list) where the services can read: a transaction. */
  @ActivateRequestContext
  @Transactional
  public <T> T read(Supplier<T> read) {
    return read.get();
  }

  /** One event's data: {@code {"type", "resourceVersion", "object"}}. */
  String event(String type, String resourceVersion, Object object) {
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("type", type);
    if (resourceVersion != null) {
      event.put("resourceVersion", resourceVersion);
    }
    if (object != null) {
      event.put("object", object);
    }
    try {
      return json.writeValueAsString(event);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("could not write a watch event", e);
    }
  }
}

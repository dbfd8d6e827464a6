package io.sluice.pipeline;

import io.sluice.api.Page;
import io.sluice.api.PageRequest;
import io.sluice.api.Reason;
import io.sluice.api.SluiceException;
import io.sluice.api.StoreException;
import io.sluice.audit.Actions;
import io.sluice.audit.AuditLog;
import io.sluice.run.RunPhase;
import io.sluice.security.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Starts, reads, cancels and retries pipeline runs. Each write is one transaction on the run's row,
 * which the engine's passes also lock, so an API change and a pass never interleave.
 */
@ApplicationScoped
@Transactional
public class PipelineRunService {
  private final PipelineRepository pipelines;
  private final DataSource db;
  private final Caller actor;
  private final Event<PipelineChanged> changed;

  public PipelineRunService(
      PipelineRepository pipelines, DataSource db, Caller actor, Event<PipelineChanged> changed) {
    this.pipelines = pipelines;
    this.db = db;
    this.actor = actor;
    this.changed = changed;
  }

  public PipelineRunResponse create(
      String namespace, String name, CreatePipelineRunRequest request) {
    CreatePipelineRunRequest r = request == null ? CreatePipelineRunRequest.EMPTY : request;
    io.sluice.job.JobSpecValidator.Errors errors = new io.sluice.job.JobSpecValidator.Errors();
    errors.addAll(io.sluice.api.Constraints.check(r));
    errors.throwIfAny();
    PipelineRow p =
        pipelines
            .lockLive(namespace, name)
            .orElseThrow(() -> PipelineService.notFound(namespace, name));
    PipelineSpec spec = p.parsedSpec();
    Map<String, String> params = RunStart.parameters(spec, r.parametersOrEmpty());
    int number;
    try (Connection c = db.getConnection()) {
      number = RunStart.takeNumber(c, p.id());
      PipelineRunStore.RunRow run =
          RunStart.insert(c, p, number, spec, params, "manual", actor.name());
      RunStart.recordCreated(c, run, "manual", who());
    } catch (SQLException e) {
      throw new StoreException("Could not start a run of pipeline " + name, e);
    }
    changed.fire(new PipelineChanged(false));
    return read(p, number);
  }

  @Transactional(Transactional.TxType.SUPPORTS)
  public PipelineRunList list(String namespace, String name, RunPhase phase, PageRequest page) {
    PipelineRow p = live(namespace, name);
    try (Connection c = db.getConnection()) {
      Page<PipelineRunResponse> result = PipelineRunViews.page(c, p.id(), phase, page);
      return new PipelineRunList(result.items(), result.nextCursor());
    } catch (SQLException e) {
      throw new StoreException("Could not list the runs of pipeline " + name, e);
    }
  }

  /** A pipeline run by its pipeline's id and number (also of a deleted pipeline), for watches. */
  @Transactional(Transactional.TxType.SUPPORTS)
  public java.util.Optional<PipelineRunResponse> byNumber(UUID pipelineId, int number) {
    try (Connection c = db.getConnection()) {
      return java.util.Optional.ofNullable(PipelineRunViews.one(c, pipelineId, number));
    } catch (SQLException e) {
      throw new StoreException("Could not read run " + number + " of a pipeline", e);
    }
  }

  /** The id of a live pipeline, for a watch of its runs. */
  @Transactional(Transactional.TxType.SUPPORTS)
  public UUID liveId(String namespace, String name) {
    return live(namespace, name).id();
  }

  @Transactional(Transactional.TxType.SUPPORTS)
  public PipelineRunResponse get(String namespace, String name, int number) {
    return read(live(namespace, name), number);
  }

  private PipelineRunResponse read(PipelineRow p, int number) {
    try (Connection c = db.getConnection()) {
      PipelineRunResponse run = PipelineRunViews.one(c, p.id(), number);
      if (run == null) {
        throw noRun(p.name(), number);
      }
      return run;
    } catch (SQLException e) {
      throw new StoreException("Could not read run " + number + " of " + p.name(), e);
    }
  }

  /** Cancels every running step and starts nothing new; the run ends CANCELLED at once. */
  public PipelineRunResponse cancel(String namespace, String name, int number) {
    PipelineRow p = live(namespace, name);
    boolean jobs;
    try (Connection c = db.getConnection()) {
      PipelineRunStore.RunRow run = locked(c, p, number);
      if (run.phase().isTerminal()) {
        throw new SluiceException(
            Reason.RUN_FINISHED,
            "Run " + number + " of '" + name + "' already ended " + run.phase());
      }
      jobs =
          !PipelineRunStore.cancel(
                  c, run, "Cancelled", "cancelled by " + actor.displayName(), who())
              .isEmpty();
    } catch (SQLException e) {
      throw new StoreException("Could not cancel run " + number + " of " + name, e);
    }
    changed.fire(new PipelineChanged(jobs));
    return read(p, number);
  }

  /**
   * Re-runs the failed and cancelled steps and everything downstream of them (and {@code from} with
   * its downstream), keeping the rest, under the same run number and a new run attempt.
   */
  public PipelineRunResponse retry(
      String namespace, String name, int number, RetryPipelineRunRequest request) {
    RetryPipelineRunRequest r = request == null ? RetryPipelineRunRequest.FAILED : request;
    PipelineRow p = live(namespace, name);
    try (Connection c = db.getConnection()) {
      PipelineRunStore.RunRow run = locked(c, p, number);
      if (!run.phase().isTerminal()) {
        throw new SluiceException(
            Reason.RUN_NOT_FINISHED,
            "Run "
                + number
                + " of '"
                + name
                + "' is "
                + run.phase()
                + "; cancel it or let it end before retrying");
      }
      PipelineSpec spec =
          io.sluice.job.SpecCodec.read(
              PipelineRunStore.revisionSpec(c, p.id(), run.revision()), PipelineSpec.class);
      if (r.from() != null && spec.step(r.from()) == null) {
        throw SluiceException.invalid(
            "from", "run " + number + " has no step named '" + r.from() + "'");
      }
      Map<String, StepState> steps = PipelineRunStore.steps(c, run.id());
      Set<String> base = new HashSet<>();
      steps.values().stream()
          .filter(s -> s.phase == StepPhase.FAILED || s.phase == StepPhase.CANCELLED)
          .forEach(s -> base.add(s.name));
      if (r.from() != null) {
        base.add(r.from());
      }
      Set<String> reset = Dag.of(spec.steps()).withDownstream(base);
      if (reset.isEmpty()) {
        throw new SluiceException(
            Reason.NOTHING_TO_RETRY,
            "Every step of run "
                + number
                + " of '"
                + name
                + "' succeeded or was skipped; name a step in 'from' to run it again");
      }
      resetSteps(c, run, spec, reset, r.current());
      try (PreparedStatement ps =
          c.prepareStatement(
              "UPDATE pipeline_runs SET phase = 'RUNNING', attempt = attempt + 1, finished_at = NULL,"
                  + " reason = NULL, message = NULL, next_advance_at = now() WHERE id = ?")) {
        ps.setObject(1, run.id());
        ps.executeUpdate();
      }
      List<String> ordered = new ArrayList<>();
      Dag.of(spec.steps()).order().stream().filter(reset::contains).forEach(ordered::add);
      AuditLog.insert(
          c,
          PipelineRunStore.subject(run),
          who(),
          Actions.PIPELINE_RUN_RETRIED,
          "success",
          run.revision(),
          "run "
              + number
              + " retried by "
              + actor.displayName()
              + ": re-runs "
              + ordered
              + " at "
              + (r.current() ? "the jobs' current revisions" : "the pinned job revisions"));
    } catch (SQLException e) {
      throw new StoreException("Could not retry run " + number + " of " + name, e);
    }
    changed.fire(new PipelineChanged(false));
    return read(p, number);
  }

  private static void resetSteps(
      Connection c,
      PipelineRunStore.RunRow run,
      PipelineSpec spec,
      Set<String> reset,
      boolean currentRevisions)
      throws SQLException {
    Map<String, RunStart.Pin> pins =
        currentRevisions ? RunStart.pins(c, run.namespace(), spec) : Map.of();
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE pipeline_steps SET phase = 'WAITING', retries_used = 0, next_attempt_at = NULL,"
                + " started_at = NULL, finished_at = NULL, reason = NULL, message = ?"
                + (currentRevisions ? ", job_id = ?, job_revision = ?" : "")
                + " WHERE run_id = ? AND name = ?")) {
      for (String name : reset) {
        PipelineSpec.Step step = spec.step(name);
        int i = 1;
        ps.setString(i++, "waiting to run again (retry of the run)");
        if (currentRevisions) {
          RunStart.Pin pin = pins.get(step.runsJob() ? step.job() : step.awaitReady());
          ps.setObject(i++, pin == null ? null : pin.job());
          ps.setObject(i++, pin == null ? null : pin.revision(), java.sql.Types.INTEGER);
        }
        ps.setObject(i++, run.id());
        ps.setString(i, name);
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  private PipelineRunStore.RunRow locked(Connection c, PipelineRow p, int number)
      throws SQLException {
    PipelineRunStore.RunRow run = PipelineRunStore.find(c, p.id(), number, true);
    if (run == null) {
      throw noRun(p.name(), number);
    }
    return run;
  }

  private PipelineRow live(String namespace, String name) {
    return pipelines
        .findLive(namespace, name)
        .orElseThrow(() -> PipelineService.notFound(namespace, name));
  }

  private AuditLog.Actor who() {
    return new AuditLog.Actor(actor.name(), actor.displayName());
  }

  private static SluiceException noRun(String name, int number) {
    return new SluiceException(
        Reason.PIPELINE_RUN_NOT_FOUND, "Pipeline '" + name + "' has no run " + number);
  }
}

package io.sluice.pipeline;

import io.sluice.api.ETags;
import io.sluice.api.Page;
import io.sluice.api.PageRequest;
import io.sluice.api.Reason;
import io.sluice.api.SluiceException;
import io.sluice.api.StoreException;
import io.sluice.audit.Actions;
import io.sluice.audit.AuditLog;
import io.sluice.audit.EventList;
import io.sluice.job.Ids;
import io.sluice.job.LabelSelector;
import io.sluice.job.SpecCodec;
import io.sluice.job.Timestamps;
import io.sluice.rollout.DiffResponse;
import io.sluice.rollout.RollbackRequest;
import io.sluice.rollout.SpecDiff;
import io.sluice.security.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import javax.sql.DataSource;

/**
 * Creates, changes and reads pipelines. Each write is one transaction holding the pipeline row, its
 * revision and its audit event. Deleting a pipeline cancels its unfinished runs.
 */
@ApplicationScoped
@Transactional
public class PipelineService {
  private final PipelineRepository pipelines;
  private final PipelineValidator validator;
  private final AuditLog audit;
  private final Caller actor;
  private final DataSource db;
  private final Event<PipelineChanged> changed;

  public PipelineService(
      PipelineRepository pipelines,
      PipelineValidator validator,
      AuditLog audit,
      Caller actor,
      DataSource db,
      Event<PipelineChanged> changed) {
    this.pipelines = pipelines;
    this.validator = validator;
    this.audit = audit;
    this.actor = actor;
    this.db = db;
    this.changed = changed;
  }

  public PipelineResponse create(String namespace, CreatePipelineRequest request) {
    validator.validateCreate(namespace, request);
    Instant now = Timestamps.now();
    String spec = SpecCodec.toJson(request.spec());
    PipelineRow row =
        new PipelineRow(
            Ids.next(),
            namespace,
            request.name(),
            1,
            spec,
            SpecCodec.sha256(spec),
            1,
            false,
            1,
            PipelineSchedules.next(request.spec(), now),
            now,
            actor.name(),
            now,
            null,
            null);
    try {
      pipelines.insert(
          row, SpecCodec.toJson(request.spec().labelsOrEmpty()), request.changeCause());
    } catch (SQLException e) {
      if (io.sluice.api.SqlStates.UNIQUE_VIOLATION.equals(e.getSQLState())
          && (e.getMessage() == null
              || e.getMessage().contains(PipelineRepository.LIVE_NAME_INDEX))) {
        throw new SluiceException(
            Reason.PIPELINE_EXISTS,
            "A pipeline named '"
                + request.name()
                + "' already exists in namespace '"
                + namespace
                + "'");
      }
      throw new StoreException("Could not store pipeline " + request.name(), e);
    }
    audit.record(subject(row), Actions.PIPELINE_CREATED, 1, describe(1, request.changeCause()));
    return PipelineMapper.toResponse(row);
  }

  @Transactional(Transactional.TxType.SUPPORTS)
  public PipelineResponse get(String namespace, String name) {
    return PipelineMapper.toResponse(live(namespace, name));
  }

  @Transactional(Transactional.TxType.SUPPORTS)
  public PipelineList list(String namespace, String labelSelector, PageRequest page) {
    Page<PipelineResponse> result =
        pipelines
            .list(namespace, LabelSelector.parse(labelSelector), page)
            .map(PipelineMapper::toResponse);
    return new PipelineList(result.items(), result.nextCursor());
  }

  /** Replaces the spec; an equal spec changes nothing and writes no revision. */
  public PipelineResponse update(
      String namespace, String name, String ifMatch, UpdatePipelineRequest request) {
    PipelineRow p = lockForChange(namespace, name, ifMatch);
    validator.validateUpdate(namespace, request);
    String spec = SpecCodec.toJson(request.spec());
    if (SpecCodec.sha256(spec).equals(p.specHash())) {
      return PipelineMapper.toResponse(p);
    }
    newRevision(p, request.spec(), request.changeCause(), null);
    audit.record(
        subject(p),
        Actions.PIPELINE_UPDATED,
        p.currentRevision() + 1,
        describe(p.currentRevision() + 1, request.changeCause()));
    return get(namespace, name);
  }

  /** A new revision copying an earlier one's spec, checked again against today's jobs. */
  public PipelineResponse rollback(
      String namespace, String name, String ifMatch, RollbackRequest request) {
    RollbackRequest r = request == null ? RollbackRequest.PREVIOUS : request;
    PipelineRow p = lockForChange(namespace, name, ifMatch);
    int target = r.toRevision() != null ? r.toRevision() : p.currentRevision() - 1;
    if (target < 1) {
      throw new SluiceException(
          Reason.NOTHING_TO_ROLL_BACK, "Pipeline '" + name + "' has only revision 1");
    }
    PipelineRepository.RevisionRow revision =
        pipelines
            .findRevision(p.id(), target)
            .orElseThrow(() -> noRevision(name, target, p.currentRevision()));
    if (revision.spec() != null
        && SpecCodec.sha256(SpecCodec.toJson(SpecCodec.read(revision.spec(), PipelineSpec.class)))
            .equals(p.specHash())) {
      throw new SluiceException(
          Reason.NOTHING_TO_ROLL_BACK,
          "Revision " + target + " of '" + name + "' has the current spec already");
    }
    PipelineSpec spec = SpecCodec.read(revision.spec(), PipelineSpec.class);
    validator.validateSpec(namespace, spec);
    newRevision(p, spec, r.changeCause(), target);
    audit.record(
        subject(p),
        Actions.PIPELINE_ROLLED_BACK,
        p.currentRevision() + 1,
        "revision "
            + (p.currentRevision() + 1)
            + " copies revision "
            + target
            + (r.changeCause() == null ? "" : ": " + r.changeCause()));
    return get(namespace, name);
  }

  private void newRevision(PipelineRow p, PipelineSpec spec, String cause, Integer rollbackOf) {
    String json = SpecCodec.toJson(spec);
    Instant nextFire = p.suspended() ? null : PipelineSchedules.next(spec, Timestamps.now());
    pipelines.newRevision(
        p,
        json,
        SpecCodec.sha256(json),
        SpecCodec.toJson(spec.labelsOrEmpty()),
        nextFire,
        actor.name(),
        cause,
        rollbackOf);
  }

  /** Suspends (or resumes) the schedule; manual runs still start. */
  public PipelineResponse suspend(String namespace, String name, String ifMatch, boolean suspend) {
    PipelineRow p = lockForChange(namespace, name, ifMatch);
    if (p.suspended() != suspend) {
      Instant next = suspend ? null : PipelineSchedules.next(p.parsedSpec(), Timestamps.now());
      pipelines.setSuspended(p.id(), suspend, next);
      audit.record(
          subject(p),
          suspend ? Actions.PIPELINE_SUSPENDED : Actions.PIPELINE_RESUMED,
          p.currentRevision(),
          suspend ? "schedule suspended" : "schedule resumed");
    }
    return get(namespace, name);
  }

  /** Marks the pipeline deleted and cancels its unfinished runs; its history stays. */
  public void delete(String namespace, String name, String ifMatch) {
    PipelineRow p = lockForChange(namespace, name, ifMatch);
    boolean jobs = false;
    try (Connection c = db.getConnection()) {
      for (PipelineRunStore.RunRow run : PipelineRunStore.openRuns(c, p.id())) {
        jobs |=
            !PipelineRunStore.cancel(
                    c,
                    run,
                    "PipelineDeleted",
                    "the pipeline was deleted by " + actor.displayName(),
                    new AuditLog.Actor(actor.name(), actor.displayName()))
                .isEmpty();
      }
    } catch (SQLException e) {
      throw new StoreException("Could not cancel the runs of pipeline " + name, e);
    }
    pipelines.markDeleted(p.id(), actor.name());
    audit.record(subject(p), Actions.PIPELINE_DELETED, p.currentRevision(), "deleted");
    changed.fire(new PipelineChanged(jobs));
  }

  @Transactional(Transactional.TxType.SUPPORTS)
  public PipelineRevisionList revisions(String namespace, String name, PageRequest page) {
    PipelineRow p = live(namespace, name);
    Page<PipelineRevisionResponse> result =
        pipelines.listRevisions(p.id(), page).map(PipelineMapper::toResponse);
    return new PipelineRevisionList(result.items(), result.nextCursor());
  }

  @Transactional(Transactional.TxType.SUPPORTS)
  public PipelineRevisionResponse revision(String namespace, String name, int revision) {
    PipelineRow p = live(namespace, name);
    return pipelines
        .findRevision(p.id(), revision)
        .map(PipelineMapper::toResponse)
        .orElseThrow(() -> noRevision(name, revision, p.currentRevision()));
  }

  @Transactional(Transactional.TxType.SUPPORTS)
  public DiffResponse diff(String namespace, String name, int from, int to) {
    PipelineRow p = live(namespace, name);
    PipelineSpec a = specOf(p, from);
    PipelineSpec b = specOf(p, to);
    return new DiffResponse(from, to, SpecDiff.between(a, b));
  }

  private PipelineSpec specOf(PipelineRow p, int revision) {
    return pipelines
        .findRevision(p.id(), revision)
        .map(r -> SpecCodec.read(r.spec(), PipelineSpec.class))
        .orElseThrow(() -> noRevision(p.name(), revision, p.currentRevision()));
  }

  @Transactional(Transactional.TxType.SUPPORTS)
  public EventList events(String namespace, String name, PageRequest page) {
    return audit.list(live(namespace, name).id(), page);
  }

  PipelineRow lockForChange(String namespace, String name, String ifMatch) {
    PipelineRow p =
        pipelines.lockLive(namespace, name).orElseThrow(() -> notFound(namespace, name));
    ETags.checkIfMatch(ifMatch, p.version());
    return p;
  }

  PipelineRow live(String namespace, String name) {
    return pipelines.findLive(namespace, name).orElseThrow(() -> notFound(namespace, name));
  }

  static SluiceException notFound(String namespace, String name) {
    return new SluiceException(
        Reason.PIPELINE_NOT_FOUND,
        "No pipeline named '" + name + "' in namespace '" + namespace + "'");
  }

  private static SluiceException noRevision(String name, int revision, int current) {
    return new SluiceException(
        Reason.REVISION_NOT_FOUND,
        "Pipeline '" + name + "' has no revision " + revision + " (current: " + current + ")");
  }

  static AuditLog.Subject subject(PipelineRow p) {
    return new AuditLog.Subject(p.id(), p.namespace(), p.name(), AuditLog.Subject.PIPELINE);
  }

  private static String describe(int revision, String cause) {
    return cause == null || cause.isBlank()
        ? "revision " + revision
        : "revision " + revision + ": " + cause;
  }
}

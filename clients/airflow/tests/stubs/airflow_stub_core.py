"""Stand-ins for the parts of Apache Airflow the provider uses, so its tests run where Airflow
cannot be installed. They mirror Airflow's own interfaces — names, module paths, signatures and
behaviour — as read from Airflow's source:

- Airflow 2.10 (``airflow/models/baseoperator.py``, ``airflow/hooks/base.py``,
  ``airflow/sensors/base.py``, ``airflow/models/baseoperatorlink.py``,
  ``airflow/triggers/base.py``, ``airflow/models/taskinstance.py``, ``airflow/utils/session.py``);
- Airflow 3.x (``task-sdk/src/airflow/sdk``: ``BaseOperator``, ``BaseHook``,
  ``BaseSensorOperator``, ``BaseOperatorLink``, ``execution_time.task_runner.RuntimeTaskInstance``
  ``.get_task_states``, ``execution_time.xcom.XCom``; ``airflow-core/src/airflow/triggers/base.py``).

What is the same in both lines lives here once; ``airflow2/`` and ``airflow3/`` lay the modules
out where each line has them. ``airflow.__version__`` comes from AIRFLOW_STUB_VERSION.

The signatures the provider depends on:
``BaseOperator.defer(self, *, trigger, method_name, kwargs=None, timeout=None)`` (raises
TaskDeferred); ``BaseTrigger.serialize() -> (classpath, kwargs)``; ``async BaseTrigger.run()``
yielding ``TriggerEvent(payload)``; ``BaseTrigger.task_instance`` (set by the triggerer);
``BaseHook.get_connection(conn_id)`` (a classmethod reading the secrets backends: here the
environment backend, ``AIRFLOW_CONN_<ID>`` as JSON); ``BaseOperatorLink.get_link(self, operator,
*, ti_key)``; ``XCom.get_value(*, ti_key, key)``; ``BaseSensorOperator(poke_interval=60,
timeout=604800, soft_fail=False, mode="poke", ...)`` with ``poke(context)``.
"""

from __future__ import annotations

import enum
import json
import logging
import os
import re
import time
from datetime import timedelta


class AirflowException(Exception):
    """airflow.exceptions.AirflowException (airflow.sdk.exceptions in 3.x)."""


class AirflowNotFoundException(AirflowException):
    pass


class AirflowSensorTimeout(AirflowException):
    pass


class TaskDeferred(BaseException):
    """Raised by BaseOperator.defer(); the worker hands the trigger to the triggerer."""

    def __init__(self, *, trigger, method_name, kwargs=None, timeout=None):
        super().__init__()
        self.trigger = trigger
        self.method_name = method_name
        self.kwargs = kwargs
        self.timeout = timeout
        if timeout is not None and not isinstance(timeout, timedelta):
            raise ValueError("Timeout value must be a timedelta")


class TaskInstanceState(str, enum.Enum):
    """airflow.utils.state.TaskInstanceState (the values the provider compares)."""

    RUNNING = "running"
    SUCCESS = "success"
    FAILED = "failed"
    UP_FOR_RETRY = "up_for_retry"
    DEFERRED = "deferred"
    SCHEDULED = "scheduled"
    QUEUED = "queued"

    def __str__(self):
        return self.value


class LoggingMixin:
    @property
    def log(self):
        return logging.getLogger(f"{type(self).__module__}.{type(self).__name__}")


class Connection:
    """airflow.models.connection.Connection / airflow.sdk.Connection."""

    def __init__(self, conn_id=None, conn_type=None, description=None, host=None, login=None,
                 password=None, schema=None, port=None, extra=None):
        self.conn_id = conn_id
        self.conn_type = conn_type
        self.description = description
        self.host = host
        self.login = login
        self.password = password
        self.schema = schema
        self.port = port
        self.extra = extra if isinstance(extra, (str, type(None))) else json.dumps(extra)

    @property
    def extra_dejson(self):
        return json.loads(self.extra) if self.extra else {}


class BaseHook(LoggingMixin):
    """airflow.hooks.base.BaseHook / airflow.sdk.BaseHook."""

    def __init__(self, logger_name=None):
        self._log_config_logger_name = "airflow.task.hooks"
        self._logger_name = logger_name

    @classmethod
    def get_connection(cls, conn_id):
        """Looks the connection up in the secrets backends: the environment one here."""
        value = os.environ.get("AIRFLOW_CONN_" + conn_id.upper())
        if value is None:
            raise AirflowNotFoundException(f"The conn_id `{conn_id}` isn't defined")
        spec = json.loads(value)
        return Connection(conn_id=conn_id, **spec)

    def get_conn(self):
        raise NotImplementedError()


# ---- XCom and task instances (what the metadata database holds) -----------------------------

XCOMS = {}
TASK_STATES = {}


class TaskInstanceKey(tuple):
    def __new__(cls, dag_id, task_id, run_id, try_number=1, map_index=-1):
        return super().__new__(cls, (dag_id, task_id, run_id, try_number, map_index))

    dag_id = property(lambda self: self[0])
    task_id = property(lambda self: self[1])
    run_id = property(lambda self: self[2])
    map_index = property(lambda self: self[4])


class XCom:
    @classmethod
    def get_value(cls, *, ti_key, key):
        return XCOMS.get((ti_key.dag_id, ti_key.task_id, ti_key.run_id, ti_key.map_index, key))


class TaskInstance:
    """The task instance a worker passes in context["ti"] and a triggerer sets on a trigger."""

    def __init__(self, dag_id, task_id, run_id, map_index=-1, state=TaskInstanceState.RUNNING):
        self.dag_id = dag_id
        self.task_id = task_id
        self.run_id = run_id
        self.map_index = map_index
        self.try_number = 1
        TASK_STATES[(dag_id, task_id, run_id, map_index)] = state

    @property
    def key(self):
        return TaskInstanceKey(self.dag_id, self.task_id, self.run_id, self.try_number, self.map_index)

    @property
    def state(self):
        return TASK_STATES.get((self.dag_id, self.task_id, self.run_id, self.map_index))

    def set_state(self, state):
        TASK_STATES[(self.dag_id, self.task_id, self.run_id, self.map_index)] = state

    def xcom_push(self, key, value):
        XCOMS[(self.dag_id, self.task_id, self.run_id, self.map_index, key)] = value


class _Query:
    """The slice of a SQLAlchemy query over TaskInstance that triggers use (Airflow 2)."""

    def __init__(self):
        self.filters = []

    def filter(self, *conditions):
        self.filters.extend(conditions)
        return self

    def one_or_none(self):
        wanted = dict(self.filters)
        for (dag_id, task_id, run_id, map_index), state in TASK_STATES.items():
            row = {"dag_id": dag_id, "task_id": task_id, "run_id": run_id, "map_index": map_index}
            if all(row[k] == v for k, v in wanted.items()):
                ti = object.__new__(TaskInstance)
                ti.dag_id, ti.task_id, ti.run_id, ti.map_index = dag_id, task_id, run_id, map_index
                return ti
        return None


class _Column:
    def __init__(self, name):
        self.name = name

    def __eq__(self, other):
        return (self.name, other)


class TaskInstanceModel:
    """airflow.models.taskinstance.TaskInstance as a query target (its columns)."""

    dag_id = _Column("dag_id")
    task_id = _Column("task_id")
    run_id = _Column("run_id")
    map_index = _Column("map_index")


class Session:
    def query(self, model):
        return _Query()


class create_session:  # noqa: N801 - a context manager, as airflow.utils.session.create_session
    def __enter__(self):
        return Session()

    def __exit__(self, *exc):
        return False


class RuntimeTaskInstance:
    """airflow.sdk.execution_time.task_runner.RuntimeTaskInstance (the static query used)."""

    @staticmethod
    def get_task_states(dag_id, map_index=None, task_ids=None, task_group_id=None,
                        logical_dates=None, run_ids=None):
        result = {}
        for (d, t, r, m), state in TASK_STATES.items():
            if d == dag_id and (task_ids is None or t in task_ids) and (run_ids is None or r in run_ids) \
                    and (map_index is None or m == map_index):
                result.setdefault(r, {})[t] = state
        return result


# ---- operators -------------------------------------------------------------------------------

_OPERATOR_ARGS = {"task_id", "retries", "retry_delay", "execution_timeout", "dag", "owner",
                  "depends_on_past", "pool", "queue", "trigger_rule", "doc_md"}


class BaseOperator(LoggingMixin):
    """airflow.models.BaseOperator / airflow.sdk.BaseOperator."""

    template_fields = ()
    operator_extra_links = ()
    ui_color = "#fff"

    def __init__(self, **kwargs):
        unknown = set(kwargs) - _OPERATOR_ARGS
        if unknown:
            raise AirflowException(
                f"Invalid arguments were passed to {type(self).__name__} (task_id:"
                f" {kwargs.get('task_id')}). Invalid arguments were: **kwargs: {sorted(unknown)}")
        if "task_id" not in kwargs:
            raise TypeError("missing required argument: task_id")
        self.task_id = kwargs["task_id"]
        self.retries = kwargs.get("retries", 0)

    def execute(self, context):
        raise NotImplementedError()

    def on_kill(self):
        """Called when the task is killed while a worker runs it (never while deferred)."""

    def defer(self, *, trigger, method_name, kwargs=None, timeout=None):
        raise TaskDeferred(trigger=trigger, method_name=method_name, kwargs=kwargs, timeout=timeout)

    def render_template_fields(self, context):
        """Jinja's {{ name }} for the template fields, with the context's values."""
        for field in self.template_fields:
            setattr(self, field, _render(getattr(self, field), context))


def _render(value, context):
    if isinstance(value, str):
        return re.sub(r"\{\{\s*(\w+)\s*\}\}", lambda m: str(context[m.group(1)]), value)
    if isinstance(value, list):
        return [_render(v, context) for v in value]
    if isinstance(value, dict):
        return {k: _render(v, context) for k, v in value.items()}
    return value


class BaseSensorOperator(BaseOperator):
    """airflow.sensors.base.BaseSensorOperator / airflow.sdk.BaseSensorOperator."""

    def __init__(self, *, poke_interval=60, timeout=60 * 60 * 24 * 7, soft_fail=False, mode="poke",
                 exponential_backoff=False, max_wait=None, silent_fail=False, never_fail=False, **kwargs):
        super().__init__(**kwargs)
        self.poke_interval = poke_interval
        self.timeout = timeout
        self.soft_fail = soft_fail
        self.mode = mode

    def poke(self, context):
        raise NotImplementedError()

    def execute(self, context):
        started = time.monotonic()
        while not self.poke(context):
            if time.monotonic() - started > self.timeout:
                raise AirflowSensorTimeout(f"Sensor has timed out; run duration of {self.timeout}s")
            time.sleep(self.poke_interval)


class BaseOperatorLink:
    """airflow.models.baseoperatorlink.BaseOperatorLink / airflow.sdk.BaseOperatorLink."""

    name = None

    def get_link(self, operator, *, ti_key):
        raise NotImplementedError()


# ---- triggers --------------------------------------------------------------------------------


class BaseTrigger(LoggingMixin):
    """airflow.triggers.base.BaseTrigger."""

    def __init__(self, **kwargs):
        self.task_instance = None
        self.trigger_id = None

    def serialize(self):
        raise NotImplementedError("Triggers must implement serialize()")

    async def run(self):
        raise NotImplementedError("Triggers must implement run()")
        yield

    async def cleanup(self):
        """Called when the trigger is no longer needed."""


class TriggerEvent:
    """airflow.triggers.base.TriggerEvent."""

    def __init__(self, payload, **kwargs):
        self.payload = payload


class _Conf:
    def getboolean(self, section, key, fallback=None):
        value = os.environ.get(f"AIRFLOW__{section.upper()}__{key.upper()}")
        return fallback if value is None else value.lower() in ("true", "1", "t")


conf = _Conf()

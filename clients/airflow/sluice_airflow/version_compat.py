"""The Airflow APIs this provider uses, from where each supported Airflow line has them.

Airflow 3 moved the authoring interface to ``airflow.sdk``; Airflow 2.10 has it under
``airflow.models`` and friends. Everything the provider imports from Airflow comes from here.
"""

from __future__ import annotations

from airflow import __version__ as AIRFLOW_VERSION


def _version(text):
    parts = []
    for piece in text.split(".")[:3]:
        digits = "".join(ch for ch in piece if ch.isdigit())
        parts.append(int(digits) if digits else 0)
    return tuple(parts + [0] * (3 - len(parts)))


AIRFLOW_V_3_0_PLUS = _version(AIRFLOW_VERSION) >= (3, 0, 0)
# From 3.3 the triggerer calls a trigger's on_kill() when a user kills its deferred task.
AIRFLOW_V_3_3_PLUS = _version(AIRFLOW_VERSION) >= (3, 3, 0)

if AIRFLOW_V_3_0_PLUS:
    from airflow.sdk import BaseHook, BaseOperator, BaseOperatorLink, BaseSensorOperator
    from airflow.sdk.exceptions import AirflowException
    from airflow.sdk.execution_time.xcom import XCom
else:
    from airflow.exceptions import AirflowException
    from airflow.hooks.base import BaseHook
    from airflow.models import BaseOperator, XCom
    from airflow.models.baseoperatorlink import BaseOperatorLink
    from airflow.sensors.base import BaseSensorOperator

from airflow.triggers.base import BaseTrigger, TriggerEvent

DEFERRED = "deferred"


def task_state(task_instance):
    """The current state of a deferred task's instance, as the metadata database has it.

    A trigger is cancelled both when its task is killed (marked failed, timed out, cleared) and
    when the triggerer merely stops or hands it to another triggerer; only the task's state tells
    them apart: still ``deferred`` means the task lives on.
    """
    if AIRFLOW_V_3_0_PLUS:
        from airflow.sdk.execution_time.task_runner import RuntimeTaskInstance

        states = RuntimeTaskInstance.get_task_states(
            dag_id=task_instance.dag_id,
            task_ids=[task_instance.task_id],
            run_ids=[task_instance.run_id],
            map_index=task_instance.map_index,
        )
        return states[task_instance.run_id][task_instance.task_id]
    from airflow.models.taskinstance import TaskInstance
    from airflow.utils.session import create_session

    with create_session() as session:
        ti = (
            session.query(TaskInstance)
            .filter(
                TaskInstance.dag_id == task_instance.dag_id,
                TaskInstance.task_id == task_instance.task_id,
                TaskInstance.run_id == task_instance.run_id,
                TaskInstance.map_index == task_instance.map_index,
            )
            .one_or_none()
        )
        return None if ti is None else ti.state


def default_deferrable():
    """The deployment's [operators] default_deferrable, as Airflow's own operators read it."""
    from airflow.configuration import conf

    return conf.getboolean("operators", "default_deferrable", fallback=False)

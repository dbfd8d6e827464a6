"""The Sluice hook: a Connection of type ``sluice`` (URL, API token, default namespace)."""

from __future__ import annotations


from sluice_airflow.client import SluiceClient
from sluice_airflow.version_compat import AirflowException, BaseHook


class SluiceHook(BaseHook):
    """Talks to Sluice with the URL and API token of an Airflow Connection.

    The connection (``sluice_default`` unless told otherwise) is resolved by Airflow, from its
    secrets backends or its database, so DAG code names a connection and never a secret:

    - **host**: Sluice's URL, ``https://sluice.example.com`` (a bare host name takes ``schema``
      as its scheme, ``http`` when unset, and ``port``);
    - **password**: the API token (a Sluice token, or a JWT); ``extra.token`` works too;
    - **extra.namespace**: the namespace operators use when they name none;
    - **extra.timeout**: seconds per HTTP request (default 30).
    """

    conn_name_attr = "sluice_conn_id"
    default_conn_name = "sluice_default"
    conn_type = "sluice"
    hook_name = "Sluice"

    def __init__(self, sluice_conn_id: str = default_conn_name, **kwargs):
        super().__init__(**kwargs)
        self.sluice_conn_id = sluice_conn_id
        self._connection = None

    @classmethod
    def get_ui_field_behaviour(cls):
        """How Airflow's connection form shows this type's fields."""
        return {
            "hidden_fields": ["login", "port", "schema"],
            "relabeling": {"host": "Sluice URL", "password": "API token"},
            "placeholders": {
                "host": "https://sluice.example.com",
                "password": "the API token (kept in Airflow's secrets, never in DAG code)",
                "extra": '{"namespace": "data"}',
            },
        }

    @property
    def connection(self):
        if self._connection is None:
            self._connection = self.get_connection(self.sluice_conn_id)
        return self._connection

    def _extra(self):
        conn = self.connection
        extra = getattr(conn, "extra_dejson", None)
        return extra if isinstance(extra, dict) else {}

    @property
    def base_url(self):
        conn = self.connection
        host = (conn.host or "").strip()
        if not host:
            raise AirflowException(
                f"Connection {self.sluice_conn_id!r} has no host: set it to Sluice's URL")
        if "://" in host:
            return host.rstrip("/")
        scheme = conn.schema if conn.schema in ("http", "https") else "http"
        port = f":{conn.port}" if conn.port else ""
        return f"{scheme}://{host}{port}".rstrip("/")

    @property
    def default_namespace(self):
        return self._extra().get("namespace")

    def namespace(self, given=None):
        """The namespace a task names, else the connection's; a clear error without either."""
        namespace = given or self.default_namespace
        if not namespace:
            raise AirflowException(
                f"No namespace: pass namespace= or set extra.namespace on connection"
                f" {self.sluice_conn_id!r}")
        return namespace

    def get_conn(self) -> SluiceClient:
        """A client with the connection's URL and token."""
        token = self.connection.password or self._extra().get("token")
        timeout = float(self._extra().get("timeout", 30))
        return SluiceClient(self.base_url, token, timeout)

    def test_connection(self):
        """Airflow's "Test" button: GET /api/v1/info with the token."""
        try:
            info = self.get_conn()._call("GET", "/api/v1/info")
            return True, f"Sluice {info.get('version')} ({info.get('mode')})"
        except Exception as error:  # the button shows the reason
            return False, str(error)

    def run_url(self, namespace, job, number):
        client = self.get_conn()
        return client.url(f"{client.runs_path(namespace, job)}/{int(number)}")

    def pipeline_run_url(self, namespace, pipeline, number):
        client = self.get_conn()
        return client.url(f"{client.pipeline_runs_path(namespace, pipeline)}/{int(number)}")



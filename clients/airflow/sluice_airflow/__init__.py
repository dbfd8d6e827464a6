"""Airflow provider for Sluice: a connection type, a hook, operators, a sensor and triggers.

Airflow finds it through the ``apache_airflow_provider`` entry point (``get_provider_info``).
"""

__version__ = "0.3.0"


def get_provider_info():
    """What Airflow's ProvidersManager reads: the connection type and the classes offered."""
    return {
        "package-name": "airflow-provider-sluice",
        "name": "Sluice",
        "description": "Run Sluice jobs and pipelines (Kubernetes data pipelines) from Airflow.",
        "versions": [__version__],
        "connection-types": [
            {"hook-class-name": "sluice_airflow.hooks.sluice.SluiceHook", "connection-type": "sluice"}
        ],
        "hooks": [{"integration-name": "Sluice", "python-modules": ["sluice_airflow.hooks.sluice"]}],
        "operators": [{"integration-name": "Sluice", "python-modules": ["sluice_airflow.operators.sluice"]}],
        "sensors": [{"integration-name": "Sluice", "python-modules": ["sluice_airflow.sensors.sluice"]}],
        "triggers": [{"integration-name": "Sluice", "python-modules": ["sluice_airflow.triggers.sluice"]}],
        "extra-links": ["sluice_airflow.links.SluiceRunLink"],
    }

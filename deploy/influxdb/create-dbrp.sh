#!/bin/bash
# Run once by the influxdb:2 image after its first setup (/docker-entrypoint-initdb.d): maps the
# InfluxQL database "liftwatch" to the bucket, so liftwatch's InfluxQL reads (/query) and Grafana's
# InfluxQL dashboards (dashboards/grafana/*.json) find the records written through /api/v2/write.
set -euo pipefail
influx v1 dbrp create \
  --org "${DOCKER_INFLUXDB_INIT_ORG}" \
  --token "${DOCKER_INFLUXDB_INIT_ADMIN_TOKEN}" \
  --bucket-id "${DOCKER_INFLUXDB_INIT_BUCKET_ID}" \
  --db "${DOCKER_INFLUXDB_INIT_BUCKET}" \
  --rp autogen \
  --default

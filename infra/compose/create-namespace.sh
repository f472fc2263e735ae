#!/bin/sh
# One-shot: wait for the cluster, create the namespace and the tracks' search attributes
# (the names and types of shared/search-attributes.ts).
set -eu
: "${TEMPORAL_ADDRESS:?}" "${NAMESPACE:=default}"
attempts=0
until temporal operator cluster health --address "$TEMPORAL_ADDRESS" | grep -q SERVING; do
  attempts=$((attempts + 1))
  if [ "$attempts" -ge 60 ]; then echo "Temporal did not become healthy" >&2; exit 1; fi
  sleep 2
done
temporal operator namespace describe --address "$TEMPORAL_ADDRESS" -n "$NAMESPACE" >/dev/null 2>&1 ||
  temporal operator namespace create --address "$TEMPORAL_ADDRESS" -n "$NAMESPACE" --retention 30d
for attribute in CollectionStage=Keyword CorporationId=Keyword DebtorSegment=Keyword OutstandingCents=Int \
  NextDeadline=Datetime BailiffOffice=Keyword ParkedReason=Keyword ArrangementStatus=Keyword; do
  temporal operator search-attribute create --address "$TEMPORAL_ADDRESS" -n "$NAMESPACE" \
    --name "${attribute%%=*}" --type "${attribute#*=}" || true
done

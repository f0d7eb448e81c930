package io.jamwatch.ingest;

/**
 * Why a record of a mapped format (JSON, registry-framed Avro) could not become a ScannerEvent.
 * The stream turns each into a dead-letter reason of the same name.
 */
public enum IngestFailure {
  /** Not parseable JSON (syntax, NaN literals, limits of length or nesting), or not a JSON object. */
  INVALID_JSON,
  /** A mapped field that must be present (device id, line id, event time, type) is absent or null. */
  MISSING_FIELD,
  /** A mapped field holds a value of the wrong kind (an object where text is expected, a text reading, ...). */
  WRONG_TYPE,
  /** The event time is neither ISO-8601 nor a usable epoch number. */
  UNPARSEABLE_TIME,
  /** Registry framing without the magic byte 0 or shorter than its 5-byte header. */
  BAD_REGISTRY_FRAMING,
  /** The registry does not know the schema id of the frame. */
  UNKNOWN_REGISTRY_ID,
  /** The registry did not answer (connection refused, timeout, 5xx, unreadable answer). */
  REGISTRY_UNAVAILABLE,
  /** Avro binary that does not decode with the writer schema the registry gave. */
  UNDECODABLE_AVRO
}

package io.jamwatch.scoring;

/** Why an input record went to the dead-letter topic (the DeadLetter {@code reason} field). */
public enum RejectReason {
  /** Bytes that are not Avro single-object encoding (bad marker bytes). */
  BAD_HEADER,
  /** A ScannerEvent written with a schema this reader does not know (fingerprint mismatch). */
  UNKNOWN_SCHEMA,
  /** Undecodable bytes behind a valid header, or an undecodable key. */
  DESERIALIZATION,
  /** A null value (tombstone) on the event topic. */
  NULL_VALUE,
  /** The record key is missing or is not the event's deviceId (it would land on the wrong partition's state). */
  KEY_MISMATCH,
  /** A NaN or infinite reading. */
  NON_FINITE_READING,
  /** An event type this version does not know (newer producers map to UNKNOWN). */
  UNKNOWN_EVENT_TYPE,
  /** Event time before the configured minimum or too far ahead of the wall clock. */
  ABSURD_TIMESTAMP,
  /** An eventId already applied to this device's state. */
  DUPLICATE,
  /** Older than the last event applied to this device's state. */
  OUT_OF_ORDER,
  /** Any other failure while processing the event (its message says what). */
  PROCESSING_ERROR
}

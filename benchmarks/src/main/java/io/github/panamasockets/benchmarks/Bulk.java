package io.github.panamasockets.benchmarks;

/**
 * The sizes of the bulk-transfer family, the same as native/bench/bench-bulk.c's defaults:
 * one op moves {@link #BYTES_PER_OP} (1 GiB) over one loopback TCP connection in
 * {@link #CHUNK}-byte (64 KiB) writes, read by a second thread of the same contender with
 * 64 KiB reads; the op ends when the reader has seen the last byte.
 * One class per contender with a method {@code transfer_1gib}: BulkNio and BulkFacade.
 * benchmarks/Report.java turns the time per op into MiB/s and ns per 64 KiB write.
 */
final class Bulk {
  static final int CHUNK = 64 * 1024;
  static final long BYTES_PER_OP = 1L << 30;
  static final long CHUNKS_PER_OP = BYTES_PER_OP / CHUNK;

  private Bulk() {}
}

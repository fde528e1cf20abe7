package io.github.panamasockets.benchmarks;

import static io.github.panamasockets.api.Posix.*;

import io.github.panamasockets.bindings.sockaddr_in;
import io.github.panamasockets.bindings.sockets_h;
import java.io.EOFException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Bulk transfer over loopback, contender "facade": one loopback TCP connection made with
 * {@code Posix.*} (socket, bind, listen, getsockname, connect, accept, all blocking), the
 * benchmark thread writing with {@code write(fd, seg, Bulk.CHUNK)} from one 64 KiB segment and
 * a second thread reading with {@code read(fd, seg, Bulk.CHUNK)} into another, both allocated
 * once. See {@link Bulk} for what one op is; the threads hand jobs over as BulkNio's do.
 * Single-shot mode: every iteration is exactly one op (1 GiB), as every round of bench-bulk.c is.
 * A short write (only a signal makes one on a blocking socket) writes the rest; EINTR is retried.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(value = 2, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class BulkFacade {
  private final Arena arena = Arena.ofShared();
  private int writer = -1, reader = -1;
  private MemorySegment out;
  private final SynchronousQueue<Long> jobs = new SynchronousQueue<>(), done = new SynchronousQueue<>();
  private Thread readerThread;

  @Setup
  public void open() throws IOException {
    MemorySegment addr = sockaddr_in.allocate(arena);
    MemorySegment addrlen = arena.allocate(sockets_h.socklen_t);
    int listener = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (listener == -1) throw failure("socket");
    try {
      sin_family(addr, AF_INET);
      sin_port(addr, htons(0));
      s_addr(sin_addr(addr), htonl(INADDR_LOOPBACK));
      if (bind(listener, addr, sizeof(addr)) == -1) throw failure("bind");
      if (listen(listener, 1) == -1) throw failure("listen");
      addrlen.set(sockets_h.socklen_t, 0, sizeof(addr));
      if (getsockname(listener, addr, addrlen) == -1) throw failure("getsockname");
      writer = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
      if (writer == -1) throw failure("socket");
      if (connect(writer, addr, sizeof(addr)) == -1) throw failure("connect");
      reader = accept(listener, MemorySegment.NULL, MemorySegment.NULL);
      if (reader == -1) throw failure("accept");
    } finally {
      close(listener);
    }
    out = arena.allocate(Bulk.CHUNK);
    out.fill((byte) 'x');
    MemorySegment in = arena.allocate(Bulk.CHUNK);
    readerThread = Thread.ofPlatform().daemon().name("bulk-reader").start(() -> readJobs(in));
  }

  /** The reader: for each job, reads that many bytes with 64 KiB reads, then says so. */
  private void readJobs(MemorySegment in) {
    try {
      for (;;) {
        long want = jobs.take(), got = 0;
        try {
          while (got < want) {
            long n = read(reader, in, Bulk.CHUNK);
            if (n > 0) got += n;
            else if (n == 0) throw new EOFException("early EOF after " + got + " bytes");
            else if (errno() != EINTR) throw failure("read");
          }
        } catch (IOException e) {
          e.printStackTrace();
          got = -1;
        }
        done.put(got);
      }
    } catch (InterruptedException e) {
      // torn down
    }
  }

  @TearDown
  public void closeAll() {
    readerThread.interrupt();
    close(writer);
    close(reader);
    try {
      readerThread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (!readerThread.isAlive()) arena.close(); // else the segments go with the JVM
  }

  @Benchmark
  public long transfer_1gib() throws IOException, InterruptedException {
    jobs.put(Bulk.BYTES_PER_OP);
    for (long i = 0; i < Bulk.CHUNKS_PER_OP; i++) {
      long n = write(writer, out, Bulk.CHUNK);
      if (n == Bulk.CHUNK) continue;
      writeRest(n);
    }
    long got = done.take();
    if (got != Bulk.BYTES_PER_OP) throw new IOException("the reader got " + got + " bytes");
    return got;
  }

  /** After a short or failed write of a chunk: the rest of it (rare; may allocate a slice). */
  private void writeRest(long n) throws IOException {
    long off = 0;
    for (;;) {
      if (n == -1) {
        if (errno() != EINTR) throw failure("write");
      } else {
        off += n;
        if (off == Bulk.CHUNK) return;
      }
      n = write(writer, out.asSlice(off), Bulk.CHUNK - off);
    }
  }

  private static IOException failure(String call) {
    int e = errno();
    return new IOException(call + ": " + strerrorname(e) + " (" + strerror(e) + ")");
  }
}

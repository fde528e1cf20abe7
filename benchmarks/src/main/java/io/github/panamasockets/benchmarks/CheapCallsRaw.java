package io.github.panamasockets.benchmarks;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import io.github.panamasockets.bindings.sockets_h;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * Cheap calls, contender "raw bindings": the generated {@code sockets_h} methods, called as
 * jextract's output is called, with no facade in between. See CheapCallsJdk for the family's
 * conventions.
 *
 * <p><b>Not the same work as the other contenders:</b> the raw bindings are linked without
 * {@code captureCallState("errno")} (jextract does not capture errno), so there is no errno to
 * read after a call: each method consumes only the call's results, and {@code close_ebadf}
 * checks {@code rc == -1} only, not that errno is EBADF. The difference between this row and
 * the facade's is therefore errno capture plus the facade's checks, not the facade's checks
 * alone.
 *
 * <p>fcntl is variadic: jextract (and the generator, in its shape) gives an invoker per set of
 * variadic argument layouts. F_GETFL takes none, so the invoker is {@code makeInvoker()}, made
 * once in {@code @Setup}, and called through {@code apply(fd, cmd)} as jextract's users do.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class CheapCallsRaw {
  private static final int SOL_SOCKET = sockets_h.SOL_SOCKET();
  private static final int SO_TYPE = sockets_h.SO_TYPE();
  private static final int F_GETFL = sockets_h.F_GETFL();

  private Arena arena;
  private int fd = -1;
  private MemorySegment optval, optlen;
  private sockets_h.fcntl fcntlNoArg;

  @Setup
  public void open() {
    arena = Arena.ofConfined();
    fd = sockets_h.socket(sockets_h.AF_INET(), sockets_h.SOCK_DGRAM(), 0);
    if (fd < 0) throw new IllegalStateException("socket failed");
    optval = arena.allocate(JAVA_INT);
    optlen = arena.allocate(sockets_h.socklen_t);
    optlen.set(sockets_h.socklen_t, 0, Integer.BYTES);
    fcntlNoArg = sockets_h.fcntl.makeInvoker();
    if (sockets_h.getsockopt(fd, SOL_SOCKET, SO_TYPE, optval, optlen) != 0
        || optval.get(JAVA_INT, 0) != sockets_h.SOCK_DGRAM()) {
      throw new IllegalStateException("getsockopt(SO_TYPE) did not say SOCK_DGRAM");
    }
  }

  @TearDown
  public void closeSocket() {
    if (fd >= 0) sockets_h.close(fd);
    fd = -1;
    arena.close();
  }

  @Benchmark
  public int getsockopt_so_type(Blackhole bh) {
    optlen.set(sockets_h.socklen_t, 0, Integer.BYTES);
    int rc = sockets_h.getsockopt(fd, SOL_SOCKET, SO_TYPE, optval, optlen);
    bh.consume(optval.get(JAVA_INT, 0));
    return rc;
  }

  @Benchmark
  public int fcntl_f_getfl() {
    return fcntlNoArg.apply(fd, F_GETFL);
  }

  /** Checks the result only: the raw bindings keep no errno (see the class comment). */
  @Benchmark
  public int close_ebadf() {
    int rc = sockets_h.close(-1);
    if (rc != -1) throw new AssertionError("close(-1) = " + rc);
    return rc;
  }
}

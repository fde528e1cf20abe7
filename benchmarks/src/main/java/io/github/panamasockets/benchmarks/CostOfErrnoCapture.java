package io.github.panamasockets.benchmarks;

import static io.github.panamasockets.api.Posix.*;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import io.github.panamasockets.bindings.sockets_h;
import java.lang.foreign.Arena;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
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
 * Where the facade's cost on a cheap call goes, step by step, for getsockopt(SO_TYPE) on one UDP
 * socket (no profiler with symbols runs here: perf has no counters in this VM and the JDK has no
 * hsdis). Each step adds one thing to the one before:
 * {@code plain} (the raw binding's handle), {@code capture} (linked with captureCallState("errno"),
 * errno read after the call), {@code captureCritical} (the same linked critical(false), which
 * getsockopt allows: it never blocks or calls back), {@code facade} (Posix.getsockopt: the
 * thread's errno state, the pointer/length checks, the trace test).
 * Not part of the run's C comparison; run it with {@code java -jar benchmarks.jar CostOfErrnoCapture}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class CostOfErrnoCapture {
  private static final MethodHandle PLAIN = sockets_h.getsockopt$handle();
  private static final MethodHandle CAPTURE = Linker.nativeLinker().downcallHandle(
      sockets_h.getsockopt$address(), sockets_h.getsockopt$descriptor(), Linker.Option.captureCallState("errno"));
  private static final MethodHandle CAPTURE_CRITICAL = Linker.nativeLinker().downcallHandle(
      sockets_h.getsockopt$address(), sockets_h.getsockopt$descriptor(),
      Linker.Option.captureCallState("errno"), Linker.Option.critical(false));

  private Arena arena;
  private int fd = -1;
  private MemorySegment optval, optlen, capture;

  @Setup
  public void open() {
    arena = Arena.ofConfined();
    fd = socket(AF_INET, SOCK_DGRAM, 0);
    if (fd < 0) throw new IllegalStateException("socket: " + strerror(errno()));
    optval = arena.allocate(JAVA_INT);
    optlen = arena.allocate(sockets_h.socklen_t);
    capture = arena.allocate(Linker.Option.captureStateLayout());
  }

  @TearDown
  public void closeSocket() {
    if (fd >= 0) close(fd);
    fd = -1;
    arena.close();
  }

  @Benchmark
  public int plain() throws Throwable {
    optlen.set(JAVA_INT, 0, Integer.BYTES);
    return (int) PLAIN.invokeExact(fd, SOL_SOCKET, SO_TYPE, optval, optlen);
  }

  @Benchmark
  public int capture() throws Throwable {
    optlen.set(JAVA_INT, 0, Integer.BYTES);
    int rc = (int) CAPTURE.invokeExact(capture, fd, SOL_SOCKET, SO_TYPE, optval, optlen);
    return rc + capture.get(JAVA_INT, 0);
  }

  @Benchmark
  public int captureCritical() throws Throwable {
    optlen.set(JAVA_INT, 0, Integer.BYTES);
    int rc = (int) CAPTURE_CRITICAL.invokeExact(capture, fd, SOL_SOCKET, SO_TYPE, optval, optlen);
    return rc + capture.get(JAVA_INT, 0);
  }

  @Benchmark
  public int facade() {
    optlen.set(JAVA_INT, 0, Integer.BYTES);
    return getsockopt(fd, SOL_SOCKET, SO_TYPE, optval, optlen) + errno();
  }
}

package io.github.panamasockets.benchmarks;

import static io.github.panamasockets.api.Posix.*;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.github.panamasockets.bindings.sockets_h;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
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
 * What the facade's one shared descriptor (api's Link: six longs and four kept-alive pointers,
 * returning a long) costs a cheap call in steady state, against raw FFM linked with the
 * function's own descriptor and errno captured: getsockopt(SO_TYPE), close(-1) (EBADF) and
 * read on an empty non-blocking UDP socket (EAGAIN), each reading errno after the call.
 * {@code exact*}: the function's own descriptor; {@code shared*}: the shared one called by hand
 * as the facade calls it; {@code facade*}: Posix. Not part of the run's C comparison; run it with
 * {@code java -jar benchmarks.jar CostOfSharedLink}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class CostOfSharedLink {
  private static final Linker.Option ERRNO = Linker.Option.captureCallState("errno");
  private static final FunctionDescriptor SHARED = FunctionDescriptor.of(JAVA_LONG,
      JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS, ADDRESS, ADDRESS, ADDRESS);
  private static final MethodHandle GETSOCKOPT = exact(sockets_h.getsockopt$address(), sockets_h.getsockopt$descriptor());
  private static final MethodHandle CLOSE = exact(sockets_h.close$address(), sockets_h.close$descriptor());
  private static final MethodHandle READ = exact(sockets_h.read$address(), sockets_h.read$descriptor());
  private static final MethodHandle GETSOCKOPT_SHARED = Linker.nativeLinker().downcallHandle(sockets_h.getsockopt$address(), SHARED, ERRNO);
  private static final MethodHandle CLOSE_SHARED = Linker.nativeLinker().downcallHandle(sockets_h.close$address(), SHARED, ERRNO);
  private static final MethodHandle READ_SHARED = Linker.nativeLinker().downcallHandle(sockets_h.read$address(), SHARED, ERRNO);

  private static MethodHandle exact(MemorySegment address, FunctionDescriptor descriptor) {
    return Linker.nativeLinker().downcallHandle(address, descriptor, ERRNO);
  }

  private Arena arena;
  private int fd = -1;
  private MemorySegment optval, optlen, capture, buf;

  @Setup
  public void open() {
    arena = Arena.ofConfined();
    fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
    if (fd < 0) throw new IllegalStateException("socket: " + strerror(errno()));
    optval = arena.allocate(JAVA_INT);
    optlen = arena.allocate(sockets_h.socklen_t);
    capture = arena.allocate(Linker.Option.captureStateLayout());
    buf = arena.allocate(64);
  }

  @TearDown
  public void closeSocket() {
    if (fd >= 0) close(fd);
    fd = -1;
    arena.close();
  }

  @Benchmark
  public int exactGetsockopt() throws Throwable {
    optlen.set(JAVA_INT, 0, Integer.BYTES);
    int rc = (int) GETSOCKOPT.invokeExact(capture, fd, SOL_SOCKET, SO_TYPE, optval, optlen);
    return rc + capture.get(JAVA_INT, 0);
  }

  @Benchmark
  public int sharedGetsockopt() throws Throwable {
    optlen.set(JAVA_INT, 0, Integer.BYTES);
    int rc = (int) (long) GETSOCKOPT_SHARED.invokeExact(capture, (long) fd, (long) SOL_SOCKET, (long) SO_TYPE, optval.address(), optlen.address(), 0L,
        optval, optlen, MemorySegment.NULL, MemorySegment.NULL);
    return rc + capture.get(JAVA_INT, 0);
  }

  @Benchmark
  public int facadeGetsockopt() {
    optlen.set(JAVA_INT, 0, Integer.BYTES);
    return getsockopt(fd, SOL_SOCKET, SO_TYPE, optval, optlen) + errno();
  }

  @Benchmark
  public int exactClose() throws Throwable {
    int rc = (int) CLOSE.invokeExact(capture, -1);
    return rc + capture.get(JAVA_INT, 0);
  }

  @Benchmark
  public int sharedClose() throws Throwable {
    int rc = (int) (long) CLOSE_SHARED.invokeExact(capture, -1L, 0L, 0L, 0L, 0L, 0L,
        MemorySegment.NULL, MemorySegment.NULL, MemorySegment.NULL, MemorySegment.NULL);
    return rc + capture.get(JAVA_INT, 0);
  }

  @Benchmark
  public int facadeClose() {
    return close(-1) + errno();
  }

  @Benchmark
  public long exactReadEagain() throws Throwable {
    long n = (long) READ.invokeExact(capture, fd, buf, 64L);
    return n + capture.get(JAVA_INT, 0);
  }

  @Benchmark
  public long sharedReadEagain() throws Throwable {
    long n = (long) READ_SHARED.invokeExact(capture, (long) fd, buf.address(), 64L, 0L, 0L, 0L,
        buf, MemorySegment.NULL, MemorySegment.NULL, MemorySegment.NULL);
    return n + capture.get(JAVA_INT, 0);
  }

  @Benchmark
  public long facadeReadEagain() {
    return read(fd, buf, 64) + errno();
  }
}

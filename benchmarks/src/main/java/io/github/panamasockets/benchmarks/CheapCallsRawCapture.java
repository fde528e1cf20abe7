package io.github.panamasockets.benchmarks;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import io.github.panamasockets.bindings.sockaddr_in;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * Cheap calls, contender "raw FFM + errno capture": the floor the facade is held to. Each C
 * function is linked by hand with {@code Linker.nativeLinker().downcallHandle(address,
 * descriptor, captureCallState("errno"))}, with the descriptors the facade links (the generated
 * bindings' own, sockaddr arguments as pointers; fcntl as the facade links it, one variadic int),
 * and called with {@code invokeExact} and one capture segment from {@code @Setup}; after every
 * call errno is read from that segment, as the C loop reads {@code errno}. No checks, no
 * thread-local errno, no copy of a socklen_t, no trace test: the facade's rows minus this row are
 * what the facade adds. See CheapCallsJdk for the family's conventions; the sockets are those of
 * {@link EagainSockets} (made through the facade: set-up, not measured).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class CheapCallsRawCapture {
  private static final Linker LINKER = Linker.nativeLinker();
  private static final Linker.Option CAPTURE = Linker.Option.captureCallState("errno");
  private static final long ERRNO = Linker.Option.captureStateLayout().byteOffset(groupElement("errno"));

  private static MethodHandle link(MemorySegment address, FunctionDescriptor descriptor, Linker.Option... more) {
    Linker.Option[] options = new Linker.Option[more.length + 1];
    options[0] = CAPTURE;
    System.arraycopy(more, 0, options, 1, more.length);
    return LINKER.downcallHandle(address, descriptor, options);
  }

  private static final MethodHandle GETSOCKOPT = link(sockets_h.getsockopt$address(), sockets_h.getsockopt$descriptor());
  private static final MethodHandle FCNTL = link(sockets_h.fcntl.address(),
      FunctionDescriptor.of(sockets_h.C_INT, sockets_h.C_INT, sockets_h.C_INT, sockets_h.C_INT), Linker.Option.firstVariadicArg(2));
  private static final MethodHandle CLOSE = link(sockets_h.close$address(), sockets_h.close$descriptor());
  private static final MethodHandle ACCEPT = link(sockets_h.accept$address(), sockets_h.accept$descriptor());
  private static final MethodHandle READ = link(sockets_h.read$address(), sockets_h.read$descriptor());
  private static final MethodHandle WRITE = link(sockets_h.write$address(), sockets_h.write$descriptor());
  private static final MethodHandle SENDTO = link(sockets_h.sendto$address(), sockets_h.sendto$descriptor());
  private static final MethodHandle RECVFROM = link(sockets_h.recvfrom$address(), sockets_h.recvfrom$descriptor());
  private static final MethodHandle EPOLL_WAIT = link(sockets_h.epoll_wait$address(), sockets_h.epoll_wait$descriptor());
  private static final int SOL_SOCKET = sockets_h.SOL_SOCKET(), SO_TYPE = sockets_h.SO_TYPE(), F_GETFL = sockets_h.F_GETFL();
  private static final int EBADF = sockets_h.EBADF();

  private Arena arena;
  private int fd = -1;
  private MemorySegment capture, optval, optlen, sin, sinLen;
  private EagainSockets s;

  @Setup
  public void open() throws Throwable {
    arena = Arena.ofConfined();
    capture = arena.allocate(Linker.Option.captureStateLayout());
    fd = sockets_h.socket(sockets_h.AF_INET(), sockets_h.SOCK_DGRAM(), 0);
    if (fd < 0) throw new IllegalStateException("socket failed");
    optval = arena.allocate(JAVA_INT);
    optlen = arena.allocate(sockets_h.socklen_t);
    sin = sockaddr_in.allocate(arena);
    sinLen = arena.allocate(sockets_h.socklen_t);
    s = new EagainSockets();
    optlen.set(JAVA_INT, 0, Integer.BYTES);
    if ((int) GETSOCKOPT.invokeExact(capture, fd, SOL_SOCKET, SO_TYPE, optval, optlen) != 0
        || optval.get(JAVA_INT, 0) != sockets_h.SOCK_DGRAM()) {
      throw new IllegalStateException("getsockopt(SO_TYPE) did not say SOCK_DGRAM");
    }
  }

  @TearDown
  public void closeSocket() {
    if (fd >= 0) sockets_h.close(fd);
    fd = -1;
    s.close();
    arena.close();
  }

  private int errno() {
    return capture.get(JAVA_INT, ERRNO);
  }

  @Benchmark
  public int getsockopt_so_type(Blackhole bh) throws Throwable {
    optlen.set(JAVA_INT, 0, Integer.BYTES);
    int rc = (int) GETSOCKOPT.invokeExact(capture, fd, SOL_SOCKET, SO_TYPE, optval, optlen);
    bh.consume(errno());
    bh.consume(optval.get(JAVA_INT, 0));
    return rc;
  }

  @Benchmark
  public int fcntl_f_getfl(Blackhole bh) throws Throwable {
    int flags = (int) FCNTL.invokeExact(capture, fd, F_GETFL, 0);
    bh.consume(errno());
    return flags;
  }

  @Benchmark
  public int close_ebadf() throws Throwable {
    int rc = (int) CLOSE.invokeExact(capture, -1);
    int e = errno();
    if (rc != -1 || e != EBADF) throw new AssertionError("close(-1) = " + rc + ", errno " + e);
    return e;
  }

  @Benchmark
  public int accept_eagain() throws Throwable {
    sinLen.set(JAVA_INT, 0, (int) sin.byteSize());
    int rc = (int) ACCEPT.invokeExact(capture, s.listener, sin, sinLen);
    int e = errno();
    EagainSockets.expectEagain("accept", rc, e);
    return e + sinLen.get(JAVA_INT, 0);
  }

  @Benchmark
  public int read_eagain() throws Throwable {
    long rc = (long) READ.invokeExact(capture, s.tcp, s.buf, (long) EagainSockets.BUF);
    int e = errno();
    EagainSockets.expectEagain("read", rc, e);
    return e;
  }

  @Benchmark
  public int write_eagain() throws Throwable {
    long rc = (long) WRITE.invokeExact(capture, s.streamTx, s.buf, (long) EagainSockets.BUF);
    int e = errno();
    EagainSockets.expectEagain("write", rc, e);
    return e;
  }

  @Benchmark
  public int sendto_eagain() throws Throwable {
    long rc = (long) SENDTO.invokeExact(capture, s.unixTx, s.buf, (long) EagainSockets.BUF, 0, s.unixRxAddr, s.unixRxLen);
    int e = errno();
    EagainSockets.expectEagain("sendto", rc, e);
    return e;
  }

  @Benchmark
  public int recvfrom_eagain() throws Throwable {
    sinLen.set(JAVA_INT, 0, (int) sin.byteSize());
    long rc = (long) RECVFROM.invokeExact(capture, s.udp, s.buf, (long) EagainSockets.BUF, 0, sin, sinLen);
    int e = errno();
    EagainSockets.expectEagain("recvfrom", rc, e);
    return e + sinLen.get(JAVA_INT, 0);
  }

  @Benchmark
  public int epoll_wait_empty() throws Throwable {
    int n = (int) EPOLL_WAIT.invokeExact(capture, s.epfd, s.events, EagainSockets.MAX_EVENTS, 0);
    int e = errno();
    if (n != 0) throw new AssertionError("epoll_wait = " + n + ", errno " + e + ": expected 0");
    return n + e;
  }
}

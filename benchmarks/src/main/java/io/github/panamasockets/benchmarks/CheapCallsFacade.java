package io.github.panamasockets.benchmarks;

import static io.github.panamasockets.api.Posix.*;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import io.github.panamasockets.bindings.sockaddr_in;
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
 * Cheap calls, contender "facade": {@code io.github.panamasockets.api.Posix}, statically
 * imported, called as C calls them. See CheapCallsJdk for the family's conventions.
 *
 * <p>Every call is followed by {@code errno()}, as the C loop reads {@code errno}: keeping errno
 * (captured by the downcall into this thread's buffer, taken over on failure) is part of what
 * the facade costs. The UDP socket, {@code optval} and {@code optlen} are made once in
 * {@code @Setup}; nothing is allocated per call. The facade's trace logger is off (slf4j-nop is
 * the only SLF4J provider in benchmarks.jar), so each call's {@code Trace.on()} test is the
 * logger's {@code isDebugEnabled()} and nothing more.
 *
 * <p>The {@code *_eagain} calls and {@code epoll_wait_empty} are the non-blocking calls that
 * find nothing to do, on the sockets of {@link EagainSockets}; each throws unless the call gave
 * -1 and {@code errno() == EAGAIN} (epoll_wait: 0), as the C loop stops.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class CheapCallsFacade {
  private Arena arena;
  private int fd = -1;
  private MemorySegment optval, optlen;
  private EagainSockets s;
  private MemorySegment sin, sinLen;

  @Setup
  public void open() {
    arena = Arena.ofConfined();
    fd = socket(AF_INET, SOCK_DGRAM, 0);
    if (fd < 0) throw new IllegalStateException("socket: " + strerror(errno()));
    optval = arena.allocate(JAVA_INT);
    optlen = arena.allocate(sockets_h.socklen_t);
    optlen.set(sockets_h.socklen_t, 0, Integer.BYTES);
    if (getsockopt(fd, SOL_SOCKET, SO_TYPE, optval, optlen) != 0 || optval.get(JAVA_INT, 0) != SOCK_DGRAM) {
      throw new IllegalStateException("getsockopt(SO_TYPE) did not say SOCK_DGRAM: " + strerror(errno()));
    }
    s = new EagainSockets();
    sin = sockaddr_in.allocate(arena);
    sinLen = arena.allocate(sockets_h.socklen_t);
  }

  @TearDown
  public void closeSocket() {
    if (fd >= 0) close(fd);
    fd = -1;
    s.close();
    arena.close();
  }

  @Benchmark
  public int getsockopt_so_type(Blackhole bh) {
    optlen.set(sockets_h.socklen_t, 0, Integer.BYTES);
    int rc = getsockopt(fd, SOL_SOCKET, SO_TYPE, optval, optlen);
    bh.consume(errno());
    bh.consume(optval.get(JAVA_INT, 0));
    return rc;
  }

  @Benchmark
  public int fcntl_f_getfl(Blackhole bh) {
    int flags = fcntl(fd, F_GETFL);
    bh.consume(errno());
    return flags;
  }

  @Benchmark
  public int close_ebadf() {
    int rc = close(-1);
    int e = errno();
    if (rc != -1 || e != EBADF) throw new AssertionError("close(-1) = " + rc + ", errno " + e);
    return e;
  }

  @Benchmark
  public int accept_eagain() {
    sinLen.set(JAVA_INT, 0, (int) sin.byteSize());
    int rc = accept(s.listener, sin, sinLen);
    int e = errno();
    EagainSockets.expectEagain("accept", rc, e);
    return e + sinLen.get(JAVA_INT, 0);
  }

  @Benchmark
  public int read_eagain() {
    long rc = read(s.tcp, s.buf, EagainSockets.BUF);
    int e = errno();
    EagainSockets.expectEagain("read", rc, e);
    return e;
  }

  @Benchmark
  public int write_eagain() {
    long rc = write(s.streamTx, s.buf, EagainSockets.BUF);
    int e = errno();
    EagainSockets.expectEagain("write", rc, e);
    return e;
  }

  @Benchmark
  public int sendto_eagain() {
    long rc = sendto(s.unixTx, s.buf, EagainSockets.BUF, 0, s.unixRxAddr, s.unixRxLen);
    int e = errno();
    EagainSockets.expectEagain("sendto", rc, e);
    return e;
  }

  @Benchmark
  public int recvfrom_eagain() {
    sinLen.set(JAVA_INT, 0, (int) sin.byteSize());
    long rc = recvfrom(s.udp, s.buf, EagainSockets.BUF, 0, sin, sinLen);
    int e = errno();
    EagainSockets.expectEagain("recvfrom", rc, e);
    return e + sinLen.get(JAVA_INT, 0);
  }

  @Benchmark
  public int epoll_wait_empty() {
    int n = epoll_wait(s.epfd, s.events, EagainSockets.MAX_EVENTS, 0);
    int e = errno();
    if (n != 0) throw new AssertionError("epoll_wait = " + n + ", errno " + e + ": expected 0");
    return n + e;
  }
}

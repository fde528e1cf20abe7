package io.github.panamasockets.benchmarks;

import static io.github.panamasockets.api.Posix.*;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import io.github.panamasockets.bindings.sockaddr_in;
import java.io.EOFException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * TCP ping-pong over loopback, contender "facade": a blocking socket made, connected and read
 * and written with {@code Posix.*} as in C ({@code socket}, {@code setsockopt(IPPROTO_TCP,
 * TCP_NODELAY)}, {@code connect}, then per op {@code write(fd, buf, 1)} and {@code read(fd, buf,
 * 1)}), against the peer described in PingPongPeer, pinned as PingPongNio is (Affinity).
 * See PingPongSocket for the family's conventions. The 1-byte buffer is allocated once; an op
 * allocates nothing. EINTR is retried, as a C client would; any other failure throws.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class PingPongFacade {
  @Param({"c"})
  public String peer;

  private PingPongPeer server;
  private Arena arena;
  private int fd = -1;
  private MemorySegment buf;

  @Setup
  public void open() throws IOException {
    server = PingPongPeer.start(peer);
    arena = Arena.ofConfined();
    fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd == -1) throw failure("socket");
    MemorySegment one = arena.allocateFrom(JAVA_INT, 1);
    if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, one, sizeof(one)) == -1) throw failure("setsockopt(TCP_NODELAY)");
    MemorySegment addr = sockaddr_in.allocate(arena);
    sin_family(addr, AF_INET);
    sin_port(addr, htons(server.port()));
    s_addr(sin_addr(addr), htonl(INADDR_LOOPBACK));
    if (connect(fd, addr, sizeof(addr)) == -1) throw failure("connect 127.0.0.1:" + server.port());
    buf = arena.allocate(1);
    buf.set(JAVA_BYTE, 0, (byte) 'x');
  }

  /** Scope.Thread: runs on the thread that measures, before every iteration. */
  @Setup(Level.Iteration)
  public void pin() {
    Affinity.pinClientThread();
  }

  @TearDown
  public void closeAll() throws IOException {
    if (fd >= 0) close(fd);
    fd = -1;
    arena.close();
    server.close();
  }

  @Benchmark
  public byte roundtrip() throws IOException {
    long n;
    while ((n = write(fd, buf, 1)) != 1) {
      if (n == -1 && errno() == EINTR) continue;
      throw failure("write");
    }
    while ((n = read(fd, buf, 1)) != 1) {
      if (n == 0) throw new EOFException("the peer closed the connection");
      if (errno() == EINTR) continue;
      throw failure("read");
    }
    return buf.get(JAVA_BYTE, 0);
  }

  private static IOException failure(String call) {
    int e = errno();
    return new IOException(call + ": " + strerrorname(e) + " (" + strerror(e) + ")");
  }
}

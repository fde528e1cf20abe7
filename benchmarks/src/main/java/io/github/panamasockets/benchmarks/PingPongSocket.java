package io.github.panamasockets.benchmarks;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
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
 * TCP ping-pong over loopback, contender "java.net.Socket": one op is one round trip, 1 byte
 * written and the 1-byte echo read back, TCP_NODELAY set, against the peer described in
 * PingPongPeer. Family "ping-pong": one class per contender with a method {@code roundtrip}
 * (PingPongSocket, PingPongNio and PingPongFacade), paired by benchmarks/Report.java
 * with the C client of native/bench/bench-pingpong.c.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class PingPongSocket {
  @Param({"c"})
  public String peer;

  private PingPongPeer server;
  private Socket socket;
  private InputStream in;
  private OutputStream out;
  private final byte[] b = {'x'};

  @Setup
  public void connect() throws IOException {
    server = PingPongPeer.start(peer);
    socket = new Socket();
    socket.setTcpNoDelay(true);
    socket.connect(new InetSocketAddress(PingPongPeer.LOOPBACK, server.port()));
    in = socket.getInputStream();
    out = socket.getOutputStream();
  }

  /** Scope.Thread: runs on the thread that measures, before every iteration. */
  @Setup(Level.Iteration)
  public void pin() {
    Affinity.pinClientThread();
  }

  @TearDown
  public void close() throws IOException {
    socket.close();
    server.close();
  }

  @Benchmark
  public byte roundtrip() throws IOException {
    out.write(b, 0, 1);
    if (in.read(b, 0, 1) != 1) throw new EOFException("the peer closed the connection");
    return b[0];
  }
}

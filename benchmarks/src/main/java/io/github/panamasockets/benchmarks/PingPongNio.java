package io.github.panamasockets.benchmarks;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
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
 * TCP ping-pong over loopback, contender "NIO": a blocking java.nio SocketChannel with a
 * 1-byte direct buffer, TCP_NODELAY, against the peer described in PingPongPeer.
 * See PingPongSocket for the family's conventions.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class PingPongNio {
  @Param({"c"})
  public String peer;

  private PingPongPeer server;
  private SocketChannel channel;
  private final ByteBuffer buf = ByteBuffer.allocateDirect(1);

  @Setup
  public void connect() throws IOException {
    server = PingPongPeer.start(peer);
    channel = SocketChannel.open(new InetSocketAddress(PingPongPeer.LOOPBACK, server.port()));
    channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
    buf.put(0, (byte) 'x');
  }

  /** Scope.Thread: runs on the thread that measures, before every iteration. */
  @Setup(Level.Iteration)
  public void pin() {
    Affinity.pinClientThread();
  }

  @TearDown
  public void close() throws IOException {
    channel.close();
    server.close();
  }

  @Benchmark
  public byte roundtrip() throws IOException {
    buf.clear();
    while (buf.hasRemaining()) channel.write(buf);
    buf.clear();
    while (buf.hasRemaining()) {
      if (channel.read(buf) < 0) throw new EOFException("the peer closed the connection");
    }
    return buf.get(0);
  }
}

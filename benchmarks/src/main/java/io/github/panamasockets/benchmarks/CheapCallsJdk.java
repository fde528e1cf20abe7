package io.github.panamasockets.benchmarks;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
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
 * Cheap calls, contender "JDK NIO": only where NIO has an equivalent.
 *
 * <p>The family "cheap calls" has one class per contender, with the same method names so that
 * benchmarks/Report.java pairs them with the C loop of native/bench/bench-cheap-calls.c:
 * {@code getsockopt_so_type}, {@code fcntl_f_getfl}, {@code close_ebadf}. Siblings:
 * CheapCallsJnr (jnr-posix), CheapCallsFacade (Posix.*) and CheapCallsRaw (sockets_h.*).
 * Same JMH settings in each.
 *
 * <p>NIO has no SO_TYPE option (a DatagramChannel knows it is a datagram socket), so the
 * closest equivalent is measured under the same name: {@code getOption(SO_RCVBUF)} on a UDP
 * DatagramChannel, which is one getsockopt(SOL_SOCKET, SO_RCVBUF) system call each time
 * (plus NIO's own locking, checks and boxing of the result). NIO has nothing like
 * fcntl(F_GETFL) or close(-1): errors are exceptions, not errno.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class CheapCallsJdk {
  private DatagramChannel channel;

  @Setup
  public void open() throws IOException {
    channel = DatagramChannel.open(StandardProtocolFamily.INET);
  }

  @TearDown
  public void close() throws IOException {
    channel.close();
  }

  /** Not SO_TYPE, which NIO does not have: SO_RCVBUF, the nearest getsockopt NIO offers. */
  @Benchmark
  public Integer getsockopt_so_type() throws IOException {
    return channel.getOption(StandardSocketOptions.SO_RCVBUF);
  }
}

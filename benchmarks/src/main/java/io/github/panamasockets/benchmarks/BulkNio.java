package io.github.panamasockets.benchmarks;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
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
 * Bulk transfer over loopback, contender "NIO": blocking SocketChannels and 64 KiB direct
 * buffers on both ends. See {@link Bulk} for what one op is. Single-shot mode: every
 * iteration is exactly one op (1 GiB), as every round of bench-bulk.c is.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(value = 2, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class BulkNio {
  private SocketChannel writer, reader;
  private final ByteBuffer out = ByteBuffer.allocateDirect(Bulk.CHUNK);
  private final SynchronousQueue<Long> jobs = new SynchronousQueue<>(), done = new SynchronousQueue<>();
  private Thread readerThread;

  @Setup
  public void connect() throws IOException {
    try (ServerSocketChannel listener = ServerSocketChannel.open()) {
      listener.bind(new InetSocketAddress(PingPongPeer.LOOPBACK, 0), 1);
      writer = SocketChannel.open(listener.getLocalAddress());
      reader = listener.accept();
    }
    readerThread = Thread.ofPlatform().daemon().name("bulk-reader").start(this::readJobs);
  }

  /** The reader: for each job, reads that many bytes with 64 KiB reads, then says so. */
  private void readJobs() {
    ByteBuffer in = ByteBuffer.allocateDirect(Bulk.CHUNK);
    try {
      for (;;) {
        long want = jobs.take(), got = 0;
        try {
          while (got < want) {
            in.clear();
            int n = reader.read(in);
            if (n < 0) throw new EOFException("early EOF after " + got + " bytes");
            got += n;
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
  public void close() throws IOException {
    readerThread.interrupt();
    writer.close();
    reader.close();
  }

  @Benchmark
  public long transfer_1gib() throws IOException, InterruptedException {
    jobs.put(Bulk.BYTES_PER_OP);
    for (long i = 0; i < Bulk.CHUNKS_PER_OP; i++) {
      out.clear();
      while (out.hasRemaining()) writer.write(out);
    }
    long got = done.take();
    if (got != Bulk.BYTES_PER_OP) throw new IOException("the reader got " + got + " bytes");
    return got;
  }
}

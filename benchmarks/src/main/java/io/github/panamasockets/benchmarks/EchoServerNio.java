package io.github.panamasockets.benchmarks;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Iterator;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The event-loop echo server on a JDK NIO Selector: the "JDK NIO" contender of the echo
 * family, started by benchmarks/run like native/build/echo-server-epoll, with the same
 * contract:
 *
 * <pre>java -cp benchmarks.jar io.github.panamasockets.benchmarks.EchoServerNio PORT [-s SECONDS]</pre>
 *
 * One thread, one Selector, non-blocking channels, TCP_NODELAY on every accepted connection,
 * backlog 4096 (Linux's default SOMAXCONN). It prints "listening on port N" (PORT 0 =
 * ephemeral), echoes every byte back; a short write keeps the rest and waits for OP_WRITE
 * (not reading meanwhile). Runs for SECONDS (default 600) or until SIGTERM/SIGINT, then
 * closes everything. The load is native/build/echo-load, the same for every server.
 *
 * <p>The facade's servers (EchoServerFacadeEpoll, EchoServerFacadePoll, beside this class, with
 * the same command line and output) are picked up by benchmarks/run by name.
 */
public final class EchoServerNio {
  private static final int BUF = 16384;

  private EchoServerNio() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    if (args.length < 1) {
      System.err.println("usage: EchoServerNio PORT [-s SECONDS]");
      System.exit(2);
    }
    int port = Integer.parseInt(args[0]);
    double seconds = 600;
    for (int i = 1; i + 1 < args.length; i++) {
      if (args[i].equals("-s")) seconds = Double.parseDouble(args[i + 1]);
    }
    long deadline = System.nanoTime() + (long) (seconds * 1e9);

    Selector selector = Selector.open();
    ServerSocketChannel listener = ServerSocketChannel.open();
    listener.setOption(StandardSocketOptions.SO_REUSEADDR, true);
    listener.bind(new InetSocketAddress(PingPongPeer.LOOPBACK, port), 4096);
    listener.configureBlocking(false);
    listener.register(selector, SelectionKey.OP_ACCEPT);

    // SIGTERM/SIGINT run the shutdown hooks: stop the loop and wait until it has closed all.
    CountDownLatch closed = new CountDownLatch(1);
    Thread loop = Thread.currentThread();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      stop = true;
      selector.wakeup();
      try {
        closed.await(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        loop.interrupt();
      }
    }));

    System.out.println("listening on port " + ((InetSocketAddress) listener.getLocalAddress()).getPort());
    System.out.flush();

    ByteBuffer buf = ByteBuffer.allocateDirect(BUF);
    long accepted = 0, echoed = 0;
    while (!stop) {
      long left = deadline - System.nanoTime();
      if (left <= 0) break;
      selector.select(Math.max(1, Math.min(1000, TimeUnit.NANOSECONDS.toMillis(left))));
      Iterator<SelectionKey> it = selector.selectedKeys().iterator();
      while (it.hasNext()) {
        SelectionKey key = it.next();
        it.remove();
        if (!key.isValid()) continue;
        if (key.isAcceptable()) {
          SocketChannel c;
          while ((c = listener.accept()) != null) {
            c.configureBlocking(false);
            c.setOption(StandardSocketOptions.TCP_NODELAY, true);
            c.register(selector, SelectionKey.OP_READ);
            accepted++;
          }
        } else if (key.isWritable()) {
          echoed += flushPending(key);
        } else if (key.isReadable()) {
          echoed += echo(key, buf);
        }
      }
    }

    for (SelectionKey key : selector.keys()) key.channel().close();
    selector.close();
    System.err.printf("EchoServerNio: %s after %d connections, %d bytes echoed%n",
        stop ? "stopped by signal" : "time is up", accepted, echoed);
    closed.countDown();
  }

  private static volatile boolean stop;

  /** Reads what there is and writes it back; returns the bytes written. */
  private static long echo(SelectionKey key, ByteBuffer buf) {
    SocketChannel c = (SocketChannel) key.channel();
    long written = 0;
    try {
      for (;;) {
        buf.clear();
        int n = c.read(buf);
        if (n < 0) {
          c.close();
          return written;
        }
        if (n == 0) return written;
        buf.flip();
        written += c.write(buf);
        if (buf.hasRemaining()) { // keep the rest, stop reading until it is out
          ByteBuffer pending = ByteBuffer.allocate(buf.remaining());
          pending.put(buf).flip();
          key.attach(pending);
          key.interestOps(SelectionKey.OP_WRITE);
          return written;
        }
        if (n < BUF) return written; // drained for now
      }
    } catch (IOException e) {
      closeQuietly(c);
      return written;
    }
  }

  private static long flushPending(SelectionKey key) {
    SocketChannel c = (SocketChannel) key.channel();
    ByteBuffer pending = (ByteBuffer) key.attachment();
    try {
      long written = c.write(pending);
      if (!pending.hasRemaining()) {
        key.attach(null);
        key.interestOps(SelectionKey.OP_READ);
      }
      return written;
    } catch (IOException e) {
      closeQuietly(c);
      return 0;
    }
  }

  private static void closeQuietly(SocketChannel c) {
    try {
      c.close();
    } catch (IOException ignored) {
      // nothing more to do
    }
  }
}

package io.github.panamasockets.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * The echo peer of the ping-pong benchmarks, chosen by the JMH parameter {@code peer}.
 *
 * <p>{@code c} (the default, and what benchmarks/run uses): the C server
 * {@code bench-pingpong server 0}, a separate process, one thread per connection, blocking
 * read of 1 byte then write of 1 byte. The C contender (bench-pingpong without arguments) is a
 * client against exactly this server too, so every contender has the same peer and only the
 * client side, which is what is compared, differs.
 *
 * <p>Both ends are pinned as {@link Affinity} says (the Java peer's threads too).
 *
 * <p>{@code java}: the same echo loop on java.net in a thread of the benchmark's own JVM, for
 * running a ping-pong benchmark without the C programs ({@code -p peer=java}); its numbers are
 * not comparable with the C contender's.
 */
abstract class PingPongPeer implements AutoCloseable {
  static final InetAddress LOOPBACK = loopback();

  abstract int port();

  @Override
  public abstract void close() throws IOException;

  static PingPongPeer start(String kind) throws IOException {
    return switch (kind) {
      case "c" -> {
        List<String> args = new ArrayList<>(List.of("server", "0", "-s", "900"));
        args.addAll(List.of(Affinity.peerArgs()));
        yield new CPeer(Natives.Server.start("bench-pingpong", args.toArray(String[]::new)));
      }
      case "java" -> new JavaPeer();
      default -> throw new IllegalArgumentException("peer must be c or java, not " + kind);
    };
  }

  private static InetAddress loopback() {
    try {
      return InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1});
    } catch (IOException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private static final class CPeer extends PingPongPeer {
    private final Natives.Server server;

    CPeer(Natives.Server server) {
      this.server = server;
    }

    @Override
    int port() {
      return server.port;
    }

    @Override
    public void close() throws IOException {
      server.close();
    }
  }

  private static final class JavaPeer extends PingPongPeer {
    private final ServerSocket listener;

    JavaPeer() throws IOException {
      listener = new ServerSocket();
      listener.bind(new InetSocketAddress(LOOPBACK, 0));
      Thread.ofPlatform().daemon().name("pingpong-peer-accept").start(this::acceptLoop);
    }

    private void acceptLoop() {
      while (!listener.isClosed()) {
        try {
          Socket s = listener.accept();
          s.setTcpNoDelay(true);
          Thread.ofPlatform().daemon().name("pingpong-peer").start(() -> echo(s));
        } catch (IOException e) {
          return; // closed
        }
      }
    }

    private static void echo(Socket s) {
      int cpu = Affinity.cpu(1);
      if (cpu >= 0) Affinity.pinCurrentThread(cpu);
      byte[] b = new byte[1];
      try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
        while (in.read(b, 0, 1) == 1) out.write(b, 0, 1);
      } catch (IOException e) {
        // the client went away
      }
    }

    @Override
    int port() {
      return listener.getLocalPort();
    }

    @Override
    public void close() throws IOException {
      listener.close();
    }
  }
}

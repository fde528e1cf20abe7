package io.github.panamasockets.benchmarks;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * Start-up contender "java.net.Socket": StartupFacade's work through java.net.
 *   one   a TCP socket made real: new Socket() opens none until asked, getReceiveBufferSize()
 *         makes it (socket + getsockopt: the least java.net can do)
 *   ten   a ServerSocket on loopback (socket, setsockopt, bind, listen, getsockname), a Socket
 *         connected to it, accept, one byte written and read back, everything closed
 */
public final class StartupJavaNet {
  private StartupJavaNet() {}

  public static void main(String[] args) throws IOException {
    if (args.length == 1 && args[0].equals("one")) {
      try (Socket s = new Socket()) {
        System.exit(s.getReceiveBufferSize() > 0 ? 0 : 1);
      }
    }
    if (args.length == 1 && args[0].equals("ten")) {
      InetAddress loopback = InetAddress.getLoopbackAddress();
      try (ServerSocket server = new ServerSocket(0, 1, loopback);
           Socket client = new Socket(loopback, server.getLocalPort());
           Socket accepted = server.accept()) {
        client.getOutputStream().write('x');
        System.exit(accepted.getInputStream().read() == 'x' ? 0 : 1);
      }
    }
    System.err.println("usage: StartupJavaNet one|ten");
    System.exit(2);
  }
}

package io.github.panamasockets.benchmarks;

import static io.github.panamasockets.api.Posix.*;

import io.github.panamasockets.bindings.sockaddr_in;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Start-up contender "facade": a whole process that makes its first socket calls through the
 * facade and exits (timed from outside by native/bench/startup-time; see benchmarks/README.md).
 *   one   socket(AF_INET, SOCK_STREAM, 0)
 *   ten   socket, setsockopt, bind, listen, getsockname, connect, accept, write, read, close
 *         over loopback, as native/bench/startup-calls.c does them
 * Exits 0 when every call did what it should, 1 otherwise.
 */
public final class StartupFacade {
  private StartupFacade() {}

  public static void main(String[] args) {
    if (args.length == 1 && args[0].equals("one")) System.exit(socket(AF_INET, SOCK_STREAM, 0) < 0 ? 1 : 0);
    if (args.length == 1 && args[0].equals("ten")) System.exit(ten());
    System.err.println("usage: StartupFacade one|ten");
    System.exit(2);
  }

  static int ten() {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment addr = sockaddr_in.allocate(arena);
      MemorySegment len = arena.allocate(ValueLayout.JAVA_INT);
      MemorySegment one = arena.allocate(ValueLayout.JAVA_INT);
      MemorySegment buf = arena.allocate(1);
      one.set(ValueLayout.JAVA_INT, 0, 1);
      len.set(ValueLayout.JAVA_INT, 0, sizeof(addr));
      sin_family(addr, AF_INET);
      s_addr(sin_addr(addr), htonl(INADDR_LOOPBACK));
      int lfd = socket(AF_INET, SOCK_STREAM, 0);
      if (lfd < 0 || setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, one, sizeof(one)) < 0
          || bind(lfd, addr, sizeof(addr)) < 0 || listen(lfd, 1) < 0 || getsockname(lfd, addr, len) < 0) return 1;
      int cfd = socket(AF_INET, SOCK_STREAM, 0);
      if (cfd < 0 || connect(cfd, addr, sizeof(addr)) < 0) return 1;
      int afd = accept(lfd, MemorySegment.NULL, MemorySegment.NULL);
      buf.set(ValueLayout.JAVA_BYTE, 0, (byte) 'x');
      if (afd < 0 || write(cfd, buf, 1) != 1) return 1;
      buf.set(ValueLayout.JAVA_BYTE, 0, (byte) 0);
      if (read(afd, buf, 1) != 1 || buf.get(ValueLayout.JAVA_BYTE, 0) != 'x') return 1;
      return close(afd) < 0 || close(cfd) < 0 || close(lfd) < 0 ? 1 : 0;
    }
  }
}

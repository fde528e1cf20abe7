import static io.github.panamasockets.api.Posix.*;
import java.lang.foreign.*;

/** One facade build's calls, in a loop, for benchmarks/interleaved/run (loaded once per build, each in a class loader of its own). */
public class Driver {
  static int fd;
  static MemorySegment optval, optlen, buf;
  public static void setup() {
    fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
    Arena a = Arena.global();
    optval = a.allocate(4); optlen = a.allocate(4); buf = a.allocate(64);
  }
  public static long close(int n) { long s = 0; for (int i = 0; i < n; i++) s += io.github.panamasockets.api.Posix.close(-1) + errno(); return s; }
  public static long getsockopt(int n) {
    long s = 0;
    for (int i = 0; i < n; i++) { optlen.set(ValueLayout.JAVA_INT, 0, 4); s += io.github.panamasockets.api.Posix.getsockopt(fd, SOL_SOCKET, SO_TYPE, optval, optlen) + errno(); }
    return s;
  }
  public static long read(int n) { long s = 0; for (int i = 0; i < n; i++) s += io.github.panamasockets.api.Posix.read(fd, buf, 64) + errno(); return s; }
}

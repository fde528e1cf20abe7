package io.github.panamasockets.benchmarks;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * CPU placement of the ping-pong benchmarks, the same for every contender.
 *
 * <p>On a small VM a loopback round trip between two CPUs costs several times one on a single
 * CPU (about 90 us against 17 us on the 2-core machine this was written on: a CPU that went
 * idle is slow to wake), and without pinning the scheduler picks one or the other from run to
 * run, which swamps the differences being measured. benchmarks/run therefore sets
 * {@code PSOCK_BENCH_PINGPONG_CPUS=CLIENT,PEER} (default {@code 1,1}: both on CPU 1); the Java
 * contenders pin their benchmark thread to CLIENT and start the C peer with {@code -P PEER},
 * and the C contender is run with {@code -C CLIENT -P PEER}. Unset or empty: no pinning.
 *
 * <p>Pinning is done with sched_setaffinity(0, ...) on the calling thread, straight through FFM
 * (Linux only), so that it does not depend on the library being measured.
 */
final class Affinity {
  private Affinity() {}

  /** The CPU for the client (index 0) or the peer (index 1), or -1 for none. */
  static int cpu(int index) {
    String spec = System.getenv("PSOCK_BENCH_PINGPONG_CPUS");
    if (spec == null || spec.isBlank()) return -1;
    String[] parts = spec.split(",");
    return Integer.parseInt(parts[Math.min(index, parts.length - 1)].trim());
  }

  /** Pins the calling thread to the client CPU, if one is set. */
  static void pinClientThread() {
    int cpu = cpu(0);
    if (cpu >= 0) pinCurrentThread(cpu);
  }

  /** The arguments that pin a C peer started by the benchmark ({@code -P CPU}), if any. */
  static String[] peerArgs() {
    int cpu = cpu(1);
    return cpu >= 0 ? new String[] {"-P", Integer.toString(cpu)} : new String[0];
  }

  @SuppressWarnings("restricted") // native access is enabled for every fork (jvmArgsAppend)
  private static final class Setaffinity { // linked on first use
    static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(
        Linker.nativeLinker().defaultLookup().find("sched_setaffinity").orElseThrow(),
        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS));
  }

  static void pinCurrentThread(int cpu) {
    if (!System.getProperty("os.name").equals("Linux")) {
      throw new UnsupportedOperationException("CPU pinning is implemented for Linux only; unset PSOCK_BENCH_PINGPONG_CPUS");
    }
    try (Arena arena = Arena.ofConfined()) {
      long words = 1024 / 64; // glibc's cpu_set_t: 1024 bits in unsigned longs
      MemorySegment mask = arena.allocate(ValueLayout.JAVA_LONG, words);
      mask.setAtIndex(ValueLayout.JAVA_LONG, cpu / 64, 1L << (cpu % 64));
      int rc = (int) Setaffinity.HANDLE.invokeExact(0, mask.byteSize(), mask);
      if (rc != 0) throw new IllegalStateException("sched_setaffinity(CPU " + cpu + ") failed");
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }
}

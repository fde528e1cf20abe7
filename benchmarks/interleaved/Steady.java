import java.lang.management.*;
import java.lang.reflect.Method;
import java.net.*;
import java.nio.file.*;
import java.util.*;

/** Interleaved blocks, thread CPU time per call: raw FFM (exact descriptors, errno captured), facade jar A, facade jar B. */
public class Steady {
  public static void main(String[] a) throws Throwable {
    // a: classesDir bindingsJar slf4jJar apiA apiB labelA labelB rounds
    URL drv = Path.of(a[0]).toUri().toURL();
    List<String> labels = new ArrayList<>(List.of("raw"));
    List<Class<?>> drivers = new ArrayList<>(List.of(RawDriver.class));
    for (int k = 0; k < 2; k++) {
      URLClassLoader l = new URLClassLoader(new URL[] {Path.of(a[3 + k]).toUri().toURL(), Path.of(a[1]).toUri().toURL(), Path.of(a[2]).toUri().toURL(), Path.of(a[0], "facade/").toUri().toURL()}, ClassLoader.getPlatformClassLoader());
      drivers.add(l.loadClass("Driver"));
      labels.add(a[5 + k]);
    }
    String[] calls = {"close", "getsockopt", "read"};
    Method[][] m = new Method[drivers.size()][calls.length];
    for (int d = 0; d < drivers.size(); d++) {
      drivers.get(d).getMethod("setup").invoke(null);
      for (int c = 0; c < calls.length; c++) m[d][c] = drivers.get(d).getMethod(calls[c], int.class);
    }
    ThreadMXBean t = ManagementFactory.getThreadMXBean();
    int rounds = Integer.parseInt(a[7]), warm = rounds / 4, n = 20_000;
    double[][][] r = new double[calls.length][drivers.size()][rounds - warm];
    for (int round = 0; round < rounds; round++) {
      for (int c = 0; c < calls.length; c++) {
        for (int i = 0; i < drivers.size(); i++) {
          int d = (i + round) % drivers.size();
          long t0 = t.getCurrentThreadCpuTime();
          m[d][c].invoke(null, n);
          long dt = t.getCurrentThreadCpuTime() - t0;
          if (round >= warm) r[c][d][round - warm] = dt / (double) n;
        }
      }
    }
    for (int c = 0; c < calls.length; c++) {
      double raw = median(r[c][0]);
      StringBuilder sb = new StringBuilder(String.format("%-11s", calls[c]));
      for (int d = 0; d < drivers.size(); d++) sb.append(String.format("  %s %.1f ns (%.3f x raw)", labels.get(d), median(r[c][d]), median(r[c][d]) / raw));
      System.out.println(sb);
    }
  }
  static double median(double[] v) { double[] s = v.clone(); Arrays.sort(s); return s[s.length / 2]; }
}

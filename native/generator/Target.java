import java.io.File;
import java.util.ArrayList;
import java.util.List;

/**
 * The platform bindings are generated for, and the tools that speak for it: the C compiler,
 * readelf, and a runner prefix for the probe programs (empty on the host; qemu-user for another
 * architecture, so that every number still comes from the target's own compiler and C library).
 *
 * @param platform   "linux-x86_64", "linux-aarch64": the project's spelling, as sockets_h.PLATFORM
 * @param cc         the C compiler command
 * @param readelf    a readelf that reads the target's ELF objects
 * @param runner     the command prefix that runs a target program here (empty: run it directly)
 * @param command    the command that regenerates these bindings, written into every generated file
 */
record Target(String platform, String cc, String readelf, List<String> runner, String command) {

    /** The platform whose tree is bindings/src (the default jar); every other lives in bindings/platforms/NAME. */
    static final String PRIMARY = "linux-x86_64";

    /** The host: $CC (or cc), readelf, probes run directly. */
    static Target host() {
        return new Target(null, System.getenv().getOrDefault("CC", "cc"), "readelf", List.of(), "./psock generate");
    }

    /**
     * "linux-ARCH" through the Debian cross toolchain (ARCH-linux-gnu-gcc) and qemu-ARCH with the
     * target's C library as its root (-L /usr/ARCH-linux-gnu). $CC, $READELF and $QEMU override.
     */
    static Target cross(String platform) {
        if (!platform.matches("linux-[a-z0-9_]+")) throw new IllegalArgumentException("unknown target " + platform + " (linux-ARCH expected)");
        String arch = platform.substring("linux-".length());
        String triple = arch + "-linux-gnu";
        String readelf = onPath(triple + "-readelf") ? triple + "-readelf" : "readelf";   // binutils' readelf reads any ELF
        List<String> runner = new ArrayList<>(List.of(System.getenv().getOrDefault("QEMU", "qemu-" + arch), "-L", "/usr/" + triple));
        return new Target(platform, System.getenv().getOrDefault("CC", triple + "-gcc"),
                System.getenv().getOrDefault("READELF", readelf), List.copyOf(runner), "./psock generate --target " + platform);
    }

    /** The target named on the command line; the host when it names the host's own platform. */
    static Target of(String platform, String hostPlatform) {
        return platform == null || platform.equals(hostPlatform) ? host() : cross(platform);
    }

    /**
     * This target with the platform the compiler reports. The command written into the files is the
     * platform's, wherever it runs: linux-aarch64's files read "--target linux-aarch64" also when an
     * arm64 machine generated them natively, so both ways give the same committed bytes.
     */
    Target withPlatform(String measured) {
        return new Target(measured, cc, readelf, runner, measured.equals(PRIMARY) ? "./psock generate" : "./psock generate --target " + measured);
    }

    /** Where this platform's bindings module lives, relative to the repository root. */
    String moduleDir() {
        return platform.equals(PRIMARY) ? "bindings" : "bindings/platforms/" + platform;
    }

    /** The command line that runs a target program here. */
    List<String> run(String program) {
        List<String> cmd = new ArrayList<>(runner);
        cmd.add(program);
        return cmd;
    }

    private static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (new File(dir, command).canExecute()) return true;
        }
        return false;
    }
}

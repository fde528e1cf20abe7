import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** The generator run in process, as ./psock generate runs it, into a directory of its own; once per platform and JVM. */
final class Generated {
    private Generated() {}

    static final String AARCH64 = "linux-aarch64";


    /** The repository: psock.root (Maven sets it), else the directory above that holds native/sockets.h. */
    static Path root() {
        String root = System.getProperty("psock.root");
        if (root != null && !root.isBlank()) return Path.of(root).toAbsolutePath().normalize();
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p.resolve("native/sockets.h"))) return p;
        }
        throw new IllegalStateException("no native/sockets.h above " + Path.of("").toAbsolutePath());
    }

    /**
     * Every file a fresh run wrote (relative to its output directory) and its text; target null is
     * the host. Never kept from one test to the next: PIT runs the tests again in the same JVM
     * for each mutant, and each must see its mutant's output. The commands are replayed.
     */
    static Map<Path, String> run(String target) throws IOException {
        Path out = Files.createTempDirectory("psock-generator-out");
        try {
            return run(root(), target, out);
        } finally {
            delete(out);
        }
    }

    /** A run of the project in {@code root} into {@code out}: every file under {@code out} afterwards. */
    static Map<Path, String> run(Path root, String target, Path out) throws IOException {
        Path work = Files.createTempDirectory("psock-generator-work");
        try {
            new Generate(root, out, work, target, Replay.INSTANCE).run();
            Map<Path, String> files = new TreeMap<>();
            try (Stream<Path> s = Files.walk(out)) {
                for (Path p : s.filter(Files::isRegularFile).toList()) files.put(out.relativize(p), Files.readString(p));
            }
            return files;
        } finally {
            delete(work);
        }
    }

    static void delete(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }

    /** Why linux-aarch64 cannot be generated here, in one line; null when it can. */
    static String aarch64Missing() {
        List<String> absent = new java.util.ArrayList<>();
        if (!onPath("aarch64-linux-gnu-gcc")) absent.add("aarch64-linux-gnu-gcc (apt-get install gcc-aarch64-linux-gnu)");
        if (!Files.exists(Path.of("/usr/aarch64-linux-gnu/lib/ld-linux-aarch64.so.1"))) absent.add("the aarch64 C library (apt-get install libc6-dev-arm64-cross)");
        if (!onPath("qemu-aarch64")) absent.add("qemu-aarch64 (apt-get install qemu-user)");
        else if (!runs("qemu-aarch64", "--version")) absent.add("qemu-aarch64 that runs here");
        return absent.isEmpty() ? null : "linux-aarch64 skipped: no " + String.join(", no ", absent);
    }

    private static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (new File(dir, command).canExecute()) return true;
        }
        return false;
    }

    private static boolean runs(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) { p.destroyForcibly(); return false; }
            return p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}

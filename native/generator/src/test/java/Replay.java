import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The generator's commands (gcc, readelf, the probes under qemu) run once and replayed after that:
 * the same command line, standard input and input files give what the first run printed and wrote
 * into the work directory. So every test after the first, and every mutant PIT tries, runs all of
 * the generator's Java on the real compiler's output, without waiting for the compiler.
 *
 * <p>The work directory's path is kept out of the key (each run has a fresh one): it is written
 * as a placeholder, in the command, the output and the text files a command wrote. A file a
 * replayed command wrote is known by the command that wrote it, not its bytes (an executable
 * holds the path it was built in). With {@code -Dgenerator.replay=DIR} the records are kept in
 * DIR too, for the next JVM (PIT starts many); without, in this JVM only, so that a test run
 * always reads this machine's headers.
 */
final class Replay implements Cc.Runner {
    private static final String WORK = "@PSOCK_WORK@";

    /** One per test JVM. */
    static final Replay INSTANCE = new Replay(directory());

    private record Entry(int status, String output, Map<String, byte[]> files) {}

    private final Path dir;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    /** The digest of each file's bytes a command wrote, and "KEY:NAME" that stands for it in a later key. */
    private final Map<String, String> written = new ConcurrentHashMap<>();
    final AtomicInteger ran = new AtomicInteger(), replayed = new AtomicInteger();

    private Replay(Path dir) {
        this.dir = dir;
    }

    private static Path directory() {
        String d = System.getProperty("generator.replay", "");
        return d.isBlank() ? null : Path.of(d);
    }

    @Override
    public Cc.Result exec(List<String> command, String input, Path work) throws IOException {
        String w = work.toString();
        StringBuilder key = new StringBuilder();
        for (String arg : command) key.append(arg.replace(w, WORK)).append('\0');
        key.append('\0').append(input.replace(w, WORK)).append('\0');
        for (String arg : command) {
            if (!arg.startsWith(w + "/")) continue;
            Path p = Path.of(arg);
            if (Files.isRegularFile(p)) key.append(p.getFileName()).append('=').append(idOf(Files.readAllBytes(p))).append('\0');
        }
        String k = digest(key.toString().getBytes(StandardCharsets.UTF_8));
        Entry e = entries.get(k);
        if (e == null) e = load(k);
        if (e == null) {
            Map<String, String> before = snapshot(work);
            ran.incrementAndGet();
            Cc.Result r = Cc.Runner.PROCESSES.exec(command, input, work);
            Map<String, byte[]> files = new LinkedHashMap<>();
            for (var f : snapshot(work).entrySet()) {
                if (f.getValue().equals(before.get(f.getKey()))) continue;
                files.put(f.getKey(), normalize(Files.readAllBytes(work.resolve(f.getKey())), w));
            }
            e = new Entry(r.status(), r.output().replace(w, WORK), files);
            entries.put(k, e);
            store(k, e);
        } else {
            replayed.incrementAndGet();
        }
        for (var f : e.files().entrySet()) {
            byte[] bytes = denormalize(f.getValue(), w);
            Files.write(work.resolve(f.getKey()), bytes);
            written.put(digest(bytes), k + ":" + f.getKey());
        }
        return new Cc.Result(e.status(), e.output().replace(WORK, w));
    }

    private String idOf(byte[] bytes) {
        String d = digest(bytes);
        return written.getOrDefault(d, d);
    }

    private static Map<String, String> snapshot(Path work) throws IOException {
        Map<String, String> files = new HashMap<>();
        try (Stream<Path> s = Files.list(work)) {
            for (Path p : s.toList()) if (Files.isRegularFile(p)) files.put(p.getFileName().toString(), digest(Files.readAllBytes(p)));
        }
        return files;
    }

    /** A text file (no NUL byte) gets the placeholder for the work directory; binaries stay as written. */
    private static byte[] normalize(byte[] bytes, String work) {
        return isText(bytes) ? new String(bytes, StandardCharsets.UTF_8).replace(work, WORK).getBytes(StandardCharsets.UTF_8) : bytes;
    }

    private static byte[] denormalize(byte[] bytes, String work) {
        return isText(bytes) ? new String(bytes, StandardCharsets.UTF_8).replace(WORK, work).getBytes(StandardCharsets.UTF_8) : bytes;
    }

    private static boolean isText(byte[] bytes) {
        for (byte b : bytes) if (b == 0) return false;
        return true;
    }

    private Entry load(String k) throws IOException {
        if (dir == null) return null;
        try (DataInputStream in = new DataInputStream(Files.newInputStream(dir.resolve(k)))) {
            int status = in.readInt();
            String output = new String(in.readNBytes(in.readInt()), StandardCharsets.UTF_8);
            Map<String, byte[]> files = new LinkedHashMap<>();
            for (int n = in.readInt(); n > 0; n--) {
                String name = in.readUTF();
                files.put(name, in.readNBytes(in.readInt()));
            }
            Entry e = new Entry(status, output, files);
            entries.put(k, e);
            return e;
        } catch (NoSuchFileException absent) {
            return null;
        }
    }

    /** Written whole under another name, then renamed: PIT's JVMs run side by side. */
    private void store(String k, Entry e) throws IOException {
        if (dir == null) return;
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, k, ".tmp");
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(tmp))) {
            out.writeInt(e.status());
            byte[] text = e.output().getBytes(StandardCharsets.UTF_8);
            out.writeInt(text.length);
            out.write(text);
            out.writeInt(e.files().size());
            for (var f : e.files().entrySet()) {
                out.writeUTF(f.getKey());
                out.writeInt(f.getValue().length);
                out.write(f.getValue());
            }
        }
        Files.move(tmp, dir.resolve(k), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static String digest(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

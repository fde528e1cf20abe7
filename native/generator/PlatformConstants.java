import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Which constants may be compile-time constants. A value javac inlines into a program (or into the
 * api jar) built on one platform must be right on every platform that program runs on; so a
 * constant is compile-time only when every committed platform has it with the same value.
 * The others (O_DIRECTORY, ...) are read at run time from the running platform's bindings.
 * The values of the other platforms come from their committed check programs, which list every
 * constant with the value its compiler gave.
 */
final class PlatformConstants {
    private PlatformConstants() {}

    private static final Pattern CHECK = Pattern.compile("check\\(\"constant\", \"(\\w+)\", \\(unsigned long long\\)\\(\\w+\\), (\\d+)ULL\\);");

    /** The names of ours that another committed platform lacks or gives another value. */
    static Set<String> dependent(Path root, String platform, Map<String, Cc.Constant> ours) throws IOException {
        Set<String> dependent = new TreeSet<>();
        for (var other : committed(root).entrySet()) {
            if (other.getKey().equals(platform)) continue;
            Map<String, Long> theirs = values(other.getValue());
            Set<String> absent = new TreeSet<>();
            for (Cc.Constant c : ours.values()) {
                Long v = theirs.get(c.name());
                if (v == null) absent.add(c.name());
                if (v == null || v != c.bits()) dependent.add(c.name());
            }
            // Absent there: newly bound and that tree not regenerated yet, or a name only this platform has.
            if (!absent.isEmpty()) System.err.println("note: " + absent.size() + " constants " + absent + " are not in "
                    + other.getKey() + "'s committed bindings, so they are read at run time, not compiled in"
                    + " (after binding new ones, ./psock generate --all regenerates every platform)");
        }
        return dependent;
    }

    /** Each committed platform's check program: linux-x86_64's in bindings/, the others' in bindings/platforms/NAME/. */
    static Map<String, Path> committed(Path root) throws IOException {
        Map<String, Path> programs = new LinkedHashMap<>();
        Path primary = root.resolve("bindings/src/test/c/check_bindings.c");
        if (Files.exists(primary)) programs.put(Target.PRIMARY, primary);
        Path platforms = root.resolve("bindings/platforms");
        if (Files.isDirectory(platforms)) {
            List<Path> dirs;
            try (Stream<Path> s = Files.list(platforms)) { dirs = new ArrayList<>(s.sorted().toList()); }
            for (Path dir : dirs) {
                Path check = dir.resolve("src/test/c/check_bindings.c");
                if (Files.exists(check)) programs.put(dir.getFileName().toString(), check);
            }
        }
        return programs;
    }

    /** name -> the 64 bits the platform's compiler gave, from a check program. */
    static Map<String, Long> values(Path checkProgram) throws IOException {
        Map<String, Long> values = new LinkedHashMap<>();
        Matcher m = CHECK.matcher(Files.readString(checkProgram));
        while (m.find()) values.put(m.group(1), Long.parseUnsignedLong(m.group(2)));
        return values;
    }
}

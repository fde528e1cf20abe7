import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Which constants may be compile-time constants: those every committed platform gives the same value. */
class PlatformConstantsTest {

    private static void checkProgram(Path root, String module, String... constants) throws Exception {
        StringBuilder s = new StringBuilder("int main(void) {\n");
        for (String c : constants) {
            String[] nv = c.split("=");
            s.append("    check(\"constant\", \"").append(nv[0]).append("\", (unsigned long long)(").append(nv[0]).append("), ").append(nv[1]).append("ULL);\n");
        }
        s.append("    check(\"size\", \"sockaddr\", sizeof(struct sockaddr), 16);\n}\n");
        Path p = root.resolve(module).resolve("src/test/c/check_bindings.c");
        Files.createDirectories(p.getParent());
        Files.writeString(p, s);
    }

    private static Map<String, Cc.Constant> ours(String... constants) {
        Map<String, Cc.Constant> m = new LinkedHashMap<>();
        for (String c : constants) {
            String[] nv = c.split("=");
            m.put(nv[0], new Cc.Constant(nv[0], "int", Long.parseUnsignedLong(nv[1])));
        }
        return m;
    }

    @Test
    void committedProgramsAndTheirValues(@TempDir Path root) throws Exception {
        checkProgram(root, "bindings/platforms/linux-b", "A=1");
        checkProgram(root, "bindings", "A=1", "BIG=18446744073709551615");
        checkProgram(root, "bindings/platforms/linux-a", "A=2");
        Files.createDirectories(root.resolve("bindings/platforms/linux-none"));
        Map<String, Path> programs = PlatformConstants.committed(root);
        assertEquals(List.of("linux-x86_64", "linux-a", "linux-b"), List.copyOf(programs.keySet()));
        assertEquals(root.resolve("bindings/platforms/linux-a/src/test/c/check_bindings.c"), programs.get("linux-a"));
        assertEquals(Map.of("A", 1L, "BIG", -1L), PlatformConstants.values(programs.get("linux-x86_64")));
        assertEquals(Map.of(), PlatformConstants.committed(root.resolve("nothing")));
    }

    @Test
    void dependentOnWhatAnotherPlatformLacksOrGivesOtherwise(@TempDir Path root) throws Exception {
        checkProgram(root, "bindings", "SAME=1", "OTHER=2", "OURS_ONLY=3");
        checkProgram(root, "bindings/platforms/linux-a", "SAME=1", "OTHER=5", "THEIRS_ONLY=4");
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        Set<String> dependent;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            dependent = PlatformConstants.dependent(root, "linux-x86_64", ours("SAME=1", "OTHER=2", "OURS_ONLY=3", "NEW=7"));
        } finally {
            System.setErr(err);
        }
        assertEquals(List.of("NEW", "OTHER", "OURS_ONLY"), List.copyOf(dependent));
        assertEquals("note: 2 constants [NEW, OURS_ONLY] are not in linux-a's committed bindings, so they are read at run time, not compiled in"
                + " (after binding new ones, ./psock generate --all regenerates every platform)\n", captured.toString(StandardCharsets.UTF_8));
        // Seen from linux-a: linux-x86_64's program is the other one; its own is not compared.
        assertEquals(List.of("OTHER", "THEIRS_ONLY"), List.copyOf(PlatformConstants.dependent(root, "linux-a", ours("SAME=1", "OTHER=5", "THEIRS_ONLY=4"))));
    }
}

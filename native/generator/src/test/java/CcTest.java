import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What Cc does with the compiler's answers in the cases the headers never give: a constant probe
 * that keeps failing, errors on lines that name no constant, prototypes with unnamed parameters
 * after the first, an 8-byte union that is no transparent union.
 */
class CcTest {
    private Path work;
    /** The constants.c each compile of the probe saw: the names in it, in order. */
    private final List<List<String>> compiled = new ArrayList<>();

    @BeforeEach
    void createWork() throws IOException {
        work = Files.createTempDirectory("psock-cc-test");
    }

    @AfterEach
    void deleteWork() throws IOException {
        Generated.delete(work);
    }

    /**
     * A runner in the compiler's place for the constant probe: {@code error} is given the names in
     * constants.c and its lines, and answers the line (1-based) gcc reports an error on, or 0 for a
     * clean compile; the compiled program prints each name as an int of value 1.
     */
    private Cc probe(BiFunction<List<String>, List<String>, Integer> error) {
        Map<Path, List<String>> built = new LinkedHashMap<>();
        Cc.Runner runner = (command, input, dir) -> {
            if (command.size() == 1) {
                StringBuilder out = new StringBuilder();
                for (String n : built.get(Path.of(command.get(0)))) out.append(n).append(" int 1\n");
                return new Cc.Result(0, out.toString());
            }
            assertEquals(List.of(Target.host().cc(), "-w", "-o", dir.resolve("constants").toString(), dir.resolve("constants.c").toString()), command);
            Path src = dir.resolve("constants.c");
            List<String> lines = Files.readAllLines(src);
            List<String> names = new ArrayList<>();
            for (String l : lines) if (l.startsWith("{\"")) names.add(l.substring(2, l.indexOf('"', 2)));
            compiled.add(names);
            int line = error.apply(names, lines);
            if (line == 0) {
                built.put(dir.resolve("constants"), names);
                return new Cc.Result(0, "");
            }
            return new Cc.Result(1, src + ":" + line + ":5: error: initializer element is not constant\n");
        };
        return new Cc(Target.host(), work.resolve("mini.h"), work, runner);
    }

    /** The 1-based line of constant {@code name} in constants.c. */
    private static int lineOf(List<String> lines, String name) {
        for (int i = 0; i < lines.size(); i++) if (lines.get(i).startsWith("{\"" + name + "\"")) return i + 1;
        throw new AssertionError(name + " not in " + lines);
    }

    private static List<String> names(int n) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < n; i++) names.add("C" + i);
        return names;
    }

    @Test
    void constantProbeGivesUpAfterEightCompiles() {
        // Each compile fails on its first constant until two are left: 8 failures for 10 names.
        Cc cc = probe((names, lines) -> names.size() > 2 ? lineOf(lines, names.get(0)) : 0);
        IOException e = assertThrows(IOException.class, () -> cc.evaluate(names(10)));
        assertEquals("constant probe did not converge", e.getMessage());
        assertEquals(8, compiled.size());
        assertEquals(List.of("C7", "C8", "C9"), compiled.get(7));
    }

    @Test
    void constantProbeSucceedsOnItsEighthCompile() throws IOException {
        Cc cc = probe((names, lines) -> names.size() > 2 ? lineOf(lines, names.get(0)) : 0);
        Map<String, Cc.Constant> values = cc.evaluate(names(9));
        assertEquals(8, compiled.size());
        assertEquals("{C7=Constant[name=C7, cType=int, bits=1], C8=Constant[name=C8, cType=int, bits=1]}", values.toString());
    }

    @Test
    void anErrorOnTheFirstConstantDropsIt() throws IOException {
        Cc cc = probe((names, lines) -> names.contains("FIRST") ? lineOf(lines, "FIRST") : 0);
        assertEquals(Set.of("SECOND", "THIRD"), cc.evaluate(List.of("FIRST", "SECOND", "THIRD")).keySet());
        assertEquals(List.of(List.of("FIRST", "SECOND", "THIRD"), List.of("SECOND", "THIRD")), compiled);
    }

    /** An error on a line before the table (the header's own, "In file included from constants.c:1") names no constant. */
    @Test
    void anErrorBeforeTheTableStopsAtOnce() {
        Cc cc = probe((names, lines) -> 1);
        IOException e = assertThrows(IOException.class, () -> cc.evaluate(List.of("A", "B")));
        assertEquals("constant probe failed:\n" + work.resolve("constants.c") + ":1:5: error: initializer element is not constant\n", e.getMessage());
        assertEquals(1, compiled.size());
    }

    /** Nor does one on the table's closing line, just after the last constant. */
    @Test
    void anErrorAfterTheLastConstantStopsAtOnce() throws IOException {
        Cc cc = probe((names, lines) -> lineOf(lines, names.get(names.size() - 1)) + 1);
        IOException e = assertThrows(IOException.class, () -> cc.evaluate(List.of("A", "B")));
        assertEquals("};", Files.readAllLines(work.resolve("constants.c")).get(6));
        assertEquals("constant probe failed:\n" + work.resolve("constants.c") + ":7:5: error: initializer element is not constant\n", e.getMessage());
        assertEquals(1, compiled.size());
    }

    /** gcc's -aux-info names where each prototype is; the names are read from the header there, up to the ';'. */
    @Test
    void unnamedParametersAfterTheFirstNameNothing() throws IOException {
        Path header = work.resolve("mini.h");
        Files.writeString(header, """
                int f(int, long);
                long mini_pick(union mini_value v, long);
                void g(int a,
                       long b, char *);
                #define DECLARE(name) int name(int x);
                DECLARE(h)
                """);
        Files.writeString(work.resolve("prototypes.txt"), "/* compiled from: . */\n"
                + "/* " + header + ":1:NC */ extern int f (int, long int);\n"
                + "/* " + header + ":2:NC */ extern long int mini_pick (union mini_value, long int);\n"
                + "/* " + header + ":3:NC */ extern void g (int, long int, char *);\n"
                + "/* " + header + ":6:NC */ extern int h (int);\n");
        Cc cc = new Cc(Target.host(), header, work, (command, input, dir) -> { throw new AssertionError(command); });
        Map<String, List<String>> names = cc.parameterNames(Set.of("f", "mini_pick", "g", "h"));
        assertEquals(Arrays.asList(null, null), names.get("f"));
        assertEquals(Arrays.asList("v", null), names.get("mini_pick"));
        assertEquals(Arrays.asList("a", "b", null), names.get("g"));
        // Declared by a macro on the file's last line: read to the end of the file, no ';' and no "h (" there.
        assertEquals(List.of(), names.get("h"));
        assertEquals(4, names.size());
    }

    /** gcc itself (replayed): an 8-byte union is not taken for a pointer unless it is a transparent union. */
    @Test
    void onlyATransparentUnionTakesAPointer() throws IOException {
        // At a fixed place, as the mini project's: the probe includes it by path, and a replayed command is known by its input.
        Path header = Generated.root().resolve("native/generator/target/cc-test/unions.h");
        String text = """
                union plain { long l; double d; };
                union __attribute__((transparent_union)) either { int *i; long *l; };
                """;
        Files.createDirectories(header.getParent());
        if (!Files.exists(header) || !Files.readString(header).equals(text)) {   // PIT's JVMs run side by side: whole or not at all
            Path tmp = Files.createTempFile(header.getParent(), "unions.h", ".tmp");
            Files.writeString(tmp, text);
            Files.move(tmp, header, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        Cc cc = new Cc(Target.host(), header, work, Replay.INSTANCE);
        assertFalse(cc.isTransparentPointerUnion("union plain"));
        assertTrue(cc.isTransparentPointerUnion("union either"));
    }
}

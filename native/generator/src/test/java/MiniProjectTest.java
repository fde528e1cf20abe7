import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The generator on the mini project (src/test/resources/mini): C that native/sockets.h does not
 * have. Its output must compile, its check program must pass against the header, the Java
 * layouts must give the compiler's numbers, and the bound libc calls and variables must work.
 */
class MiniProjectTest {
    static final String PKG = "io.github.panamasockets.bindings.";
    static Path out, classes;
    static Map<Path, String> files;
    static URLClassLoader loader;
    static Path pkgDir;

    /** Per test, not once for the class: PIT counts only what a test itself runs as covered by it. */
    @BeforeEach
    void generateAndCompile() throws Exception {
        out = Files.createTempDirectory("psock-mini-out");
        classes = Files.createTempDirectory("psock-mini-classes");
        files = MiniProject.generate(MiniProject.create("mini-project", Map.of()), out);
        assertNull(MiniProject.compile(out, classes));
        loader = MiniProject.loader(classes);
        pkgDir = Path.of("bindings", Generate.PACKAGE_DIR);
    }

    @AfterEach
    void clean() throws Exception {
        if (loader != null) loader.close();   // null when generating or compiling failed
        if (out != null) Generated.delete(out);
        if (classes != null) Generated.delete(classes);
    }

    static String source(String cls) {
        return files.get(pkgDir.resolve(cls + ".java"));
    }

    static Class<?> cls(String name) throws ClassNotFoundException {
        return Class.forName(PKG + name, true, loader);
    }

    static Object call(String cls, String method, Object... args) throws Exception {
        for (Method m : cls(cls).getMethods()) {
            if (m.getName().equals(method) && m.getParameterCount() == args.length && takes(m.getParameterTypes(), args)) return m.invoke(null, args);
        }
        throw new NoSuchMethodException(cls + "." + method + "/" + args.length);
    }

    private static boolean takes(Class<?>[] types, Object[] args) {
        for (int i = 0; i < types.length; i++) {
            Class<?> t = types[i].isPrimitive() ? java.lang.invoke.MethodType.methodType(types[i]).wrap().returnType() : types[i];
            if (!t.isInstance(args[i])) return false;
        }
        return true;
    }

    @Test
    void writesAClassPerRecordTypedefAndFunctionPointer() throws Exception {
        List<String> names = new ArrayList<>();
        for (Path p : files.keySet()) if (p.startsWith(pkgDir)) names.add(p.getFileName().toString());
        assertEquals(List.of("ErrnoTable.java", "SocketsConstants.java", "atexit$__func.java", "mini_aligned.java", "mini_anon.java",
                "mini_anon_t.java", "mini_bits.java", "mini_callback.java", "mini_cpoint_t.java", "mini_declared$x0.java", "mini_fill$done.java",
                "mini_fill$x0.java", "mini_flex.java", "mini_grid.java", "mini_h$shared.java", "mini_h.java", "mini_handler_for$return.java",
                "mini_packed.java", "mini_point.java", "mini_point2_t.java", "mini_point3_t.java", "mini_point_t.java", "mini_two$x0.java",
                "mini_two$x1.java", "mini_value.java", "mini_vpoint_t.java"), names.stream().sorted().toList());
        assertEquals(cls("mini_point"), cls("mini_point_t").getSuperclass());
        assertEquals(cls("mini_point_t"), cls("mini_point2_t").getSuperclass());
        // through a typedef that is not bound, through const, through volatile
        for (String t : List.of("mini_point3_t", "mini_cpoint_t", "mini_vpoint_t")) assertEquals(cls("mini_point"), cls(t).getSuperclass(), t);
        assertEquals(Object.class, cls("mini_anon_t").getSuperclass());
    }

    /** The ctest-style program the generator wrote passes against the header itself. */
    @Test
    void checkProgramPasses() throws Exception {
        String output = checkProgramOutput();
        assertTrue(output.endsWith("\n0 bad\n"), output);
        assertFalse(output.contains("bad prototype"), output);
        assertTrue(output.contains("ok prototype mini_name const char *(const volatile int *restrict)\n"), output);
        assertTrue(output.contains("ok prototype mini_handler_for void (*(int))(int)\n"), output);
        assertTrue(output.contains("ok prototype mini_average double (int, ...)\n"), output);
        assertTrue(output.contains("ok prototype mini_nothing void (void)\n"), output);
        assertTrue(output.contains("ok prototype div div_t (int, int)\n"), output);
        assertTrue(output.contains("ok param_class mini_fill.0 5\n"), output);
        assertTrue(output.contains("ok param_class ldexp.0 8\n"), output);
        assertTrue(output.contains("ok signed mini_bits.after 1\n"), output);
        assertTrue(output.contains("ok signed mini_value.bytes 1\n") || !output.contains("signed mini_value.bytes"), output);
        assertTrue(output.contains("ok offset mini_anon.$anon$"), output);
    }

    /**
     * An 8-byte union by value stays a union (only a transparent one is passed as the pointer it
     * holds), and an unnamed parameter after the first is named by its place.
     */
    @Test
    void unionByValueAndAnUnnamedSecondParameter() throws Exception {
        String header = source("mini_h");
        assertTrue(header.contains("""
                    private static class mini_pick {
                        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
                            mini_h.C_LONG,
                            mini_value.layout(),
                            mini_h.C_LONG
                        );
                """), header);
        assertTrue(header.contains("     * long int mini_pick(union mini_value v, long int x1)\n     * }\n     */\n"
                + "    public static long mini_pick(MemorySegment v, long x1) {\n"), header);
        String output = checkProgramOutput();
        assertTrue(output.contains("ok prototype mini_pick long int (union mini_value, long int)\n"), output);
        assertTrue(output.contains("ok param_class mini_pick.0 13\n"), output);
    }

    /** The fields of an anonymous union are the outer struct's, at their offset in it; an array of structs gives slices. */
    @Test
    void accessorsThroughAnonymousMembersAndArraysOfRecords() throws Exception {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment anon = arena.allocate((GroupLayout) call("mini_anon", "layout"));
            call("mini_anon", "i", anon, 42);
            assertEquals(42, anon.get(ValueLayout.JAVA_INT, 4));
            assertEquals(Float.intBitsToFloat(42), call("mini_anon", "f", anon));
            assertEquals(4L, call("mini_anon", "i$offset"));
            assertEquals(4L, call("mini_anon", "f$offset"));
            MemorySegment grid = arena.allocate((GroupLayout) call("mini_grid", "layout"));
            MemorySegment second = (MemorySegment) call("mini_grid", "pts", grid, 1L);
            assertEquals(24 + 16, second.address() - grid.address());
            assertEquals(16, second.byteSize());
        }
        assertTrue(source("mini_anon").contains("            mini_h.C_LONG_LONG.withName(\"ll\")\n"), source("mini_anon"));
    }

    /** Variables: a record behind const or volatile has the record class's layout; long long is C_LONG_LONG; [2][0] is not indexed. */
    @Test
    void variablesBehindQualifiersAndAZeroLengthDimension() {
        String header = source("mini_h");
        for (String v : List.of("mini_fixed", "mini_moving")) {
            assertTrue(header.contains("    private static class " + v + "$constants {\n        public static final GroupLayout LAYOUT = mini_point.layout();\n"), header);
        }
        assertTrue(header.contains("    public static final ValueLayout.OfLong mini_ll = mini_h.C_LONG_LONG;\n"), header);
        assertTrue(header.contains("""
                    private static class mini_zero$constants {
                        public static final SequenceLayout LAYOUT = MemoryLayout.sequenceLayout(2, MemoryLayout.sequenceLayout(0, mini_h.C_INT));
                        public static final MemorySegment SEGMENT = mini_h.findOrThrow("mini_zero").reinterpret(LAYOUT.byteSize());
                    }
                """), header);
    }

    private static String checkProgramOutput() throws Exception {
        Path work = Files.createTempDirectory("psock-mini-check");
        try {
            Files.writeString(work.resolve("check_bindings.c"), files.get(Path.of("bindings", Generate.CHECK_PROGRAM)));
            Files.copy(MiniProject.create("mini-project", Map.of()).resolve("native/sockets.h"), work.resolve("sockets.h"));
            String program = work.resolve("check").toString();
            Cc.Result built = Replay.INSTANCE.exec(List.of(Target.host().cc(), "-o", program, work.resolve("check_bindings.c").toString()), "", work);
            assertEquals(0, built.status(), built.output());
            Cc.Result ran = Replay.INSTANCE.exec(List.of(program), "", work);
            assertEquals(0, ran.status(), ran.output());
            return ran.output();
        } finally {
            Generated.delete(work);
        }
    }

    /** Every size, alignment, offset, field size and constant the compiler gave, the Java bindings give too. */
    @Test
    void javaLayoutsGiveTheCompilersNumbers() throws Exception {
        int compared = 0;
        for (String line : checkProgramOutput().split("\n")) {
            String[] w = line.split(" ");
            if (!w[0].equals("ok") || w.length != 4) continue;
            long c = Long.parseUnsignedLong(w[3]);
            String[] path = w[2].split("\\.");
            switch (w[1]) {
                case "size" -> { assertEquals(c, ((GroupLayout) call(w[2], "layout")).byteSize(), line); compared++; }
                case "align" -> { assertEquals(c, ((GroupLayout) call(w[2], "layout")).byteAlignment(), line); compared++; }
                case "offset", "fieldsize" -> {
                    if (path.length != 2) continue;   // nested: the check program counts from the outer record
                    if (w[1].equals("offset")) assertEquals(c, (long) call(path[0], path[1] + "$offset"), line);
                    else assertEquals(c, ((MemoryLayout) call(path[0], path[1] + "$layout")).byteSize(), line);
                    compared++;
                }
                case "constant" -> {
                    if (!w[2].startsWith("MINI_")) continue;
                    Object v = call("mini_h", w[2]);
                    long bits = v instanceof Integer i ? i & 0xffffffffL : (long) v;
                    assertEquals(c & (v instanceof Integer ? 0xffffffffL : -1L), bits, line);
                    assertEquals(v, cls("SocketsConstants").getField(w[2]).get(null), line);
                    compared++;
                }
                default -> { }
            }
        }
        assertEquals(116, compared);
    }

    @Test
    void constants() throws Exception {
        assertEquals(5000000000L, call("mini_h", "MINI_LONG"));
        assertEquals(-1L, call("mini_h", "MINI_ULL"));
        assertEquals(-3, call("mini_h", "MINI_NEG"));
        assertEquals((int) 4000000000L, call("mini_h", "MINI_UNSIGNED"));
        assertEquals(7, call("mini_h", "MINI_BUSY"));
        String constants = source("SocketsConstants");
        assertTrue(constants.contains("    /** {@code unsigned long long MINI_ULL} */\n    long MINI_ULL = -1L;\n"), constants);
        assertTrue(constants.contains("    /** {@code unsigned int MINI_UNSIGNED} */\n    int MINI_UNSIGNED = -294967296;\n"), constants);
        assertTrue(constants.contains("    /** {@code long MINI_LONG} */\n    long MINI_LONG = 5000000000L;\n"), constants);
        assertFalse(constants.contains("MINI_STR") || constants.contains("MINI_DOUBLE") || constants.contains("__MINI"), constants);
        String header = source("mini_h");
        assertTrue(header.contains("    private static final int MINI_NEG = (int)-3L;\n\n    /**\n     * {@snippet lang=c :\n     * #define MINI_NEG -3\n"), header);
        assertTrue(header.contains("    private static final long MINI_LONG = 5000000000L;\n"), header);
        // The argument file keeps every other line and lists the constants found, in name order.
        String args = files.get(Path.of(Generate.JEXTRACT_ARGS));
        assertFalse(args.contains("OLD_ONE"), args);
        assertTrue(args.startsWith("native/sockets.h\n--target-package\nio.github.panamasockets.bindings\n--header-class-name\nmini_h\n"), args);
        assertTrue(args.contains("--include-var mini_zero\n--include-constant E2BIG\n"), args);
        assertTrue(args.endsWith("--include-constant MINI_BUSY\n--include-constant MINI_LONG\n--include-constant MINI_NEG\n"
                + "--include-constant MINI_ULL\n--include-constant MINI_UNSIGNED\n"), args);
    }

    /** The api's Errno enum and the errno table, written for this header, work as the api uses them. */
    @Test
    void errnoEnumAndTable() throws Exception {
        Class<?> errno = Class.forName("io.github.panamasockets.api.Errno", true, loader);
        Object enoent = errno.getField("ENOENT").get(null);
        assertEquals(java.util.Optional.of(enoent), errno.getMethod("of", int.class).invoke(null, 2));
        assertEquals(2, errno.getMethod("number").invoke(enoent));
        assertEquals(errno.getField("EAGAIN").get(null), errno.getField("EWOULDBLOCK").get(null));
        assertEquals(java.util.Optional.empty(), errno.getMethod("of", int.class).invoke(null, -1));
        assertEquals(java.util.Optional.empty(), errno.getMethod("of", int.class).invoke(null, 100000));
        List<?> entries = (List<?>) cls("ErrnoTable").getField("ENTRIES").get(null);
        assertEquals("Entry[number=2, name=ENOENT, aliasOf=null, message=No such file or directory]", entries.get(1).toString());
        String table = source("ErrnoTable");
        assertTrue(table.contains("        new Entry(11, \"EAGAIN\", null, \"Resource temporarily unavailable\"),\n"
                + "        new Entry(11, \"EWOULDBLOCK\", \"EAGAIN\", \"Resource temporarily unavailable\"),\n"), table);
    }

    @Test
    void callsAndVariablesOfLibc() throws Exception {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment d = (MemorySegment) call("mini_h", "div", (SegmentAllocator) arena, 7, 2);
            assertEquals(8, d.byteSize());
            assertEquals(3, d.get(ValueLayout.JAVA_INT, 0));
            assertEquals(1, d.get(ValueLayout.JAVA_INT, 4));
        }
        assertEquals(12.0, call("mini_h", "ldexp", 1.5, 3));
        assertEquals(1.5f, call("mini_h", "sqrtf", 2.25f));
        assertEquals(5L, call("mini_h", "labs", -5L));
        int optind = (int) call("mini_h", "optind");
        assertEquals(1, optind);
        try {
            call("mini_h", "optind", 5);
            assertEquals(5, call("mini_h", "optind"));
            assertEquals(5, ((MemorySegment) call("mini_h", "optind$segment")).get(ValueLayout.JAVA_INT, 0));
        } finally {
            call("mini_h", "optind", optind);
        }
        assertEquals(ValueLayout.JAVA_LONG.byteSize(), ((ValueLayout) call("mini_h", "timezone$layout")).byteSize());
        call("mini_h", "timezone");
        assertArrayEquals(new long[] {2}, (long[]) call("mini_h", "tzname$dimensions"));
        MemorySegment tz0 = (MemorySegment) call("mini_h", "tzname", 0L);
        assertFalse(tz0.equals(MemorySegment.NULL));
        assertEquals(16, ((MemoryLayout) call("mini_h", "tzname$layout")).byteSize());
    }

    @Test
    void functionPointers() throws Exception {
        Class<?> fi = cls("mini_callback$Function");
        List<Object> seen = new ArrayList<>();
        Object f = Proxy.newProxyInstance(loader, new Class<?>[] {fi}, (proxy, m, args) -> {
            if (m.getName().equals("apply")) { seen.addAll(List.of(args)); return null; }
            return m.invoke(seen, args);
        });
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment stub = (MemorySegment) cls("mini_callback").getMethod("allocate", fi, Arena.class).invoke(null, f, arena);
            call("mini_callback", "invoke", stub, 3, 2.5);
        }
        assertEquals(List.of(3, 2.5), seen);
        assertEquals("void apply(int)", signature(cls("mini_handler_for$return$Function")));
        assertEquals("void apply()", signature(cls("atexit$__func$Function")));
        assertEquals("void apply()", signature(cls("mini_fill$x0$Function")));
        assertEquals("void apply(int)", signature(cls("mini_fill$done$Function")));
        assertEquals("void apply()", signature(cls("mini_anon$direct$Function")));
        // unnamed ones are numbered in order; a macro's prototype has no names in the header's text
        assertEquals("void apply(int)", signature(cls("mini_two$x0$Function")));
        assertEquals("void apply(long)", signature(cls("mini_two$x1$Function")));
        assertEquals("void apply(int)", signature(cls("mini_declared$x0$Function")));
    }

    private static String signature(Class<?> fi) {
        Method m = fi.getMethods()[0];
        List<String> ps = new ArrayList<>();
        for (Class<?> p : m.getParameterTypes()) ps.add(p.getName());
        return m.getReturnType().getName() + " " + m.getName() + "(" + String.join(",", ps) + ")";
    }
}

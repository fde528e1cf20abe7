package io.github.panamasockets.bindings;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rule for compile-time constants across platforms (README, "One program, two platforms"):
 * javac copies a compile-time constant into every class that uses it, so a jar compiled on one
 * platform carries that platform's values. A constant is therefore a compile-time constant in
 * SocketsConstants only when every committed platform gives it the same value; any other is a
 * field read at run time from the running platform's bindings, and {@code case} on it does not
 * compile. No value of one platform is ever silently used on another.
 */
class PlatformConstantsTest {

    private static final Pattern CHECK = Pattern.compile("check\\(\"constant\", \"(\\w+)\", \\(unsigned long long\\)\\(\\w+\\), (\\d+)ULL\\);");
    private static final Pattern FIELD = Pattern.compile("^    (?:int|long) (\\w+) = (.+);$", Pattern.MULTILINE);

    /** Each committed platform's module directory: linux-x86_64's is bindings/, the others' bindings/platforms/NAME. */
    private static Map<String, Path> platforms(Path root) throws Exception {
        Map<String, Path> modules = new TreeMap<>();
        modules.put("linux-x86_64", root.resolve("bindings"));
        try (var dirs = Files.list(root.resolve("bindings/platforms"))) {
            dirs.forEach(d -> modules.put(d.getFileName().toString(), d));
        }
        return modules;
    }

    private static Map<String, Long> checkedValues(Path module) throws Exception {
        Map<String, Long> values = new TreeMap<>();
        Matcher m = CHECK.matcher(Files.readString(module.resolve("src/test/c/check_bindings.c")));
        while (m.find()) values.put(m.group(1), Long.parseUnsignedLong(m.group(2)));
        return values;
    }

    private static Map<String, String> fields(Path module) throws Exception {
        Map<String, String> fields = new TreeMap<>();
        Matcher m = FIELD.matcher(Files.readString(module.resolve("src/main/java/io/github/panamasockets/bindings/SocketsConstants.java")));
        while (m.find()) fields.put(m.group(1), m.group(2));
        return fields;
    }

    @Test
    void theCommittedPlatformsCompileInOnlyTheValuesTheyShare() throws Exception {
        Map<String, Path> modules = platforms(ProjectFiles.root());
        assertTrue(modules.containsKey("linux-aarch64"), modules.toString());
        Map<String, Map<String, Long>> values = new TreeMap<>();
        for (var e : modules.entrySet()) values.put(e.getKey(), checkedValues(e.getValue()));
        TreeSet<String> differing = new TreeSet<>();
        for (var mine : values.values()) {
            for (var name : mine.keySet()) {
                for (var theirs : values.values()) if (!mine.get(name).equals(theirs.get(name))) differing.add(name);
            }
        }
        Map<String, String> compiledIn = null;
        for (var e : modules.entrySet()) {
            Map<String, String> fields = fields(e.getValue());
            assertEquals(values.get(e.getKey()).keySet(), fields.keySet(), e.getKey() + ": SocketsConstants and the check program list other constants");
            Map<String, String> literals = new TreeMap<>();
            for (var f : fields.entrySet()) {
                if (differing.contains(f.getKey())) assertEquals("sockets_h." + f.getKey() + "()", f.getValue(), e.getKey() + " compiles in " + f.getKey()
                        + ", whose value differs between platforms: run ./psock generate --all");
                else literals.put(f.getKey(), f.getValue());
            }
            if (compiledIn == null) compiledIn = literals;
            else assertEquals(compiledIn, literals, e.getKey() + "'s compile-time constants are not the other platforms': run ./psock generate --all");
        }
        assertTrue(compiledIn.size() > 700, "only " + compiledIn.size() + " compile-time constants");
    }

    /**
     * The generator, given a (made-up) committed platform where O_NONBLOCK has another value and
     * AF_INET is missing, writes both as run-time fields: {@code case O_NONBLOCK:} stops compiling,
     * and the field holds this platform's value; O_CLOEXEC, the same everywhere, stays compile-time.
     */
    @Test
    void aConstantThatDiffersOnAnotherPlatformIsReadAtRunTimeAndCannotBeACaseLabel(@TempDir Path tmp) throws Exception {
        Path root = ProjectFiles.root();
        Path hostModule = ProjectFiles.hostModule();
        Path fakeRoot = tmp.resolve("root");
        for (String f : List.of("native/sockets.h", "native/sockets.jextract", "native/constant-prefixes",
                "api/src/main/java/io/github/panamasockets/api/Errno.java")) {
            Files.createDirectories(fakeRoot.resolve(f).getParent());
            Files.copy(root.resolve(f), fakeRoot.resolve(f));
        }
        String check = Files.readString(root.resolve(hostModule).resolve("src/test/c/check_bindings.c"));
        String nonblock = "check(\"constant\", \"O_NONBLOCK\", (unsigned long long)(O_NONBLOCK), " + SocketsConstants.O_NONBLOCK + "ULL);";
        String afInet = "check(\"constant\", \"AF_INET\", (unsigned long long)(AF_INET), 2ULL);";
        assertTrue(check.contains(nonblock) && check.contains(afInet), "check program format changed");
        Path fake = fakeRoot.resolve("bindings/platforms/linux-madeup/src/test/c/check_bindings.c");
        Files.createDirectories(fake.getParent());
        Files.writeString(fake, check.replace(nonblock, nonblock.replace(SocketsConstants.O_NONBLOCK + "ULL", "4ULL")).replace(afInet, ""));

        Path out = tmp.resolve("out");
        var r = ProjectFiles.run(root, List.of(ProjectFiles.java(), root.resolve("native/generator/Generate.java").toString(), fakeRoot.toString(), "--out", out.toString()));
        assertEquals(0, r.status(), r.output());
        assertTrue(r.output().contains("(2 platform-dependent)"), r.output());
        Path src = out.resolve(hostModule).resolve("src/main/java");
        Map<String, String> fields = fields(out.resolve(hostModule));
        assertEquals("sockets_h.O_NONBLOCK()", fields.get("O_NONBLOCK"));
        assertEquals("sockets_h.AF_INET()", fields.get("AF_INET"));
        assertEquals(String.valueOf(SocketsConstants.O_CLOEXEC), fields.get("O_CLOEXEC"));

        Path classes = Files.createDirectories(tmp.resolve("classes"));
        assertEquals("", JavaSources.compile(List.of(src), classes, null));
        Path user = tmp.resolve("user/io/github/panamasockets/bindings");
        Files.createDirectories(user);
        Files.writeString(user.resolve("UsesCase.java"), """
                package io.github.panamasockets.bindings;
                class UsesCase {
                    static int which(int flags) {
                        switch (flags) {
                            case SocketsConstants.O_CLOEXEC: return 1;
                            case SocketsConstants.O_NONBLOCK: return 2;
                            default: return 0;
                        }
                    }
                }
                """);
        String errors = JavaSources.compile(List.of(tmp.resolve("user")), Files.createDirectories(tmp.resolve("user-classes")), classes.toString());
        assertTrue(errors.contains("UsesCase.java:6: error: constant expression required"), errors);

        try (var loader = new URLClassLoader(new java.net.URL[] {classes.toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
            Class<?> constants = Class.forName("io.github.panamasockets.bindings.SocketsConstants", true, loader);
            assertTrue(constants != SocketsConstants.class);
            assertEquals(SocketsConstants.O_NONBLOCK, constants.getField("O_NONBLOCK").get(null));
            assertEquals(2, constants.getField("AF_INET").get(null));
        }
    }
}
